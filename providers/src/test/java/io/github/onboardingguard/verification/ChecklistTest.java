package io.github.onboardingguard.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChecklistTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    private static Map<String, Object> document() {
        return new HashMap<>(Map.of(
                "givenName",
                " Amélie Marie ",
                "familyName",
                "Dupont",
                "documentType",
                "ID_CARD",
                "issuingCountry",
                "FR",
                "expiryDate",
                "2030-01-01",
                "numberLastChars",
                "9Z",
                "documentGenuine",
                true,
                "photoMatches",
                true));
    }

    @Test
    @DisplayName("a complete document checklist is approved and keeps only the known items")
    void approveDocument() {
        Checklist checklist = Checklist.parse(
                VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, document(), TODAY);
        assertThat(checklist.items())
                .containsEntry("issuingCountry", "FR")
                .containsEntry("photoMatches", true)
                .containsEntry("givenName", "Amélie Marie")
                .hasSize(8);
    }

    @Test
    @DisplayName("approving a document needs the legal names as printed, without control characters or excess length")
    void legalNames() {
        Map<String, Object> unnamed = document();
        unnamed.remove("familyName");
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, unnamed, TODAY))
                .isInstanceOfSatisfying(
                        ChecklistException.class, e -> assertThat(e.field()).isEqualTo("familyName"));
        for (String bad : new String[] {"  ", "Ann\u0000e", "x".repeat(101)}) {
            Map<String, Object> named = document();
            named.put("givenName", bad);
            assertThatThrownBy(() -> Checklist.parse(
                            VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, named, TODAY))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            ChecklistException.class, e -> assertThat(e.field()).isEqualTo("givenName"));
        }
        Map<String, Object> rejected = document();
        rejected.remove("givenName");
        rejected.remove("familyName");
        assertThat(Checklist.parse(VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.REJECT, rejected, TODAY)
                        .items())
                .doesNotContainKeys("givenName", "familyName");
    }

    @Test
    @DisplayName("approving needs every check true and an unexpired document")
    void approvalRules() {
        Map<String, Object> failed = document();
        failed.put("photoMatches", false);
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, failed, TODAY))
                .isInstanceOfSatisfying(
                        ChecklistException.class, e -> assertThat(e.field()).isEqualTo("photoMatches"));
        Map<String, Object> expired = document();
        expired.put("expiryDate", "2026-11-27");
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, expired, TODAY))
                .hasMessageContaining("expired");
        Map<String, Object> missing = document();
        missing.remove("documentType");
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.DOCUMENT, VerificationMethod.VIDEO, Outcome.APPROVE, missing, TODAY))
                .hasMessageContaining("required to approve");
    }

    @Test
    @DisplayName("a rejection records failed checks and whatever else was filled in")
    void reject() {
        Checklist checklist = Checklist.parse(
                VerificationStep.DOCUMENT,
                VerificationMethod.VIDEO,
                Outcome.REJECT,
                Map.of("documentGenuine", false, "notes", " hologram missing "),
                TODAY);
        assertThat(checklist.items())
                .containsEntry("documentGenuine", false)
                .containsEntry("notes", "hologram missing")
                .hasSize(2);
    }

    @Test
    @DisplayName("the live-camera check belongs to video identity checks only")
    void identityByMethod() {
        Map<String, Object> video =
                Map.of("faceMatchesDocument", true, "nameMatchesHrRecord", true, "liveCamera", true);
        assertThat(Checklist.parse(VerificationStep.IDENTITY, VerificationMethod.VIDEO, Outcome.APPROVE, video, TODAY)
                        .items())
                .hasSize(3);
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.IDENTITY, VerificationMethod.IN_PERSON, Outcome.APPROVE, video, TODAY))
                .hasMessageContaining("in-person");
        assertThatThrownBy(() -> Checklist.parse(
                        VerificationStep.IDENTITY,
                        VerificationMethod.VIDEO,
                        Outcome.APPROVE,
                        Map.of("faceMatchesDocument", true, "nameMatchesHrRecord", true),
                        TODAY))
                .hasMessageContaining("liveCamera");
    }

    @Test
    @DisplayName("evidence is a short reference, never the document itself")
    void evidenceReference() {
        assertThat(EvidenceReference.validate(" sha256:9f86d081884c7d65 ")).isEqualTo("sha256:9f86d081884c7d65");
        assertThatThrownBy(() -> EvidenceReference.validate("data:image/png;base64,AAAA"))
                .isInstanceOf(ChecklistException.class);
        assertThatThrownBy(() -> EvidenceReference.validate("x".repeat(129))).isInstanceOf(ChecklistException.class);
        assertThatThrownBy(() -> EvidenceReference.validate(" ")).hasMessageContaining("required");
    }
}
