package io.github.onboardingguard.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Onboarding record: the document shown at recovery against the one checked at onboarding")
class OnboardingRecordTest {

    private static final Map<String, Object> RECORDED = Map.of(
            "givenName", "Zoë Anne",
            "familyName", "Document",
            "documentType", "PASSPORT",
            "issuingCountry", "DE",
            "expiryDate", "2031-05-31",
            "numberLastChars", "K4X9");

    @Test
    @DisplayName("the same document matches, whatever the letter case, spacing or way an accent is written")
    void sameDocumentMatches() {
        Map<String, Object> presented = new HashMap<>(RECORDED);
        presented.put("givenName", "ZOE\u0308  anne");
        presented.put("numberLastChars", "k4x9");
        presented.put("expiryDate", "2036-01-01");
        assertThat(OnboardingRecord.mismatches(RECORDED, presented)).isEmpty();
    }

    @Test
    @DisplayName("other names, another document or a missing fact are named, in a fixed order")
    void differencesAreNamed() {
        Map<String, Object> presented = new HashMap<>(RECORDED);
        presented.put("familyName", "Standin");
        presented.put("issuingCountry", "FR");
        presented.remove("numberLastChars");
        assertThat(OnboardingRecord.mismatches(RECORDED, presented))
                .containsExactly("familyName", "issuingCountry", "numberLastChars");
    }

    @Test
    @DisplayName("a record without a fact (verified without the document step) does not compare it")
    void absentFactsAreNotCompared() {
        assertThat(OnboardingRecord.mismatches(Map.of("familyName", "Document"), Map.of("familyName", "document")))
                .isEmpty();
    }
}
