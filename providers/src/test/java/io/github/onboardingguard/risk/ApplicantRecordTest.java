package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Applicant record: the person who applied is the person who verifies")
class ApplicantRecordTest {

    private final ApplicantRecord applicant = ApplicantRecord.of(
            Map.of("name", "José García", "email", "Jose.Garcia@example.org", "phone", "+1 (555) 010-0199"));

    @Test
    @DisplayName("the document's names match with a middle name, other letter case or without accents; "
            + "another surname does not")
    void names() {
        assertThat(applicant.nameMatches("Jose Maria", "GARCIA")).isTrue();
        assertThat(applicant.nameMatches("José", "García")).isTrue();
        assertThat(applicant.nameMatches("José", "Fernández")).isFalse();
        assertThat(applicant.nameMatches("Kim", "Lee")).isFalse();
        assertThat(ApplicantRecord.of(Map.of("email", "a@example.org")).nameMatches("Kim", "Lee"))
                .as("no name recorded: nothing to compare")
                .isTrue();
    }

    @Test
    @DisplayName("an email matches in any letter case; a phone by its last digits, however written")
    void contacts() {
        assertThat(applicant.emailMatches("jose.garcia@EXAMPLE.org ")).isTrue();
        assertThat(applicant.emailMatches("jg@elsewhere.test")).isFalse();
        assertThat(applicant.emailMatches(null)).isFalse();
        assertThat(applicant.phoneMatches("555-010-0199")).isTrue();
        assertThat(applicant.phoneMatches("+15550100199")).isTrue();
        assertThat(applicant.phoneMatches("+44 20 7946 0018")).isFalse();
        assertThat(applicant.phoneMatches("")).isFalse();
        assertThat(ApplicantRecord.of(Map.of("name", "A B")).phoneMatches("123456789"))
                .as("no phone recorded")
                .isTrue();
    }

    @Test
    @DisplayName("a name or an email is required; a malformed email or phone and unknown fields are refused")
    void badInput() {
        assertThatThrownBy(() -> ApplicantRecord.of(Map.of("reference", "x"))).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> ApplicantRecord.of(Map.of("email", "nobody"))).hasMessageStartingWith("email:");
        assertThatThrownBy(() -> ApplicantRecord.of(Map.of("name", "A", "phone", "12")))
                .hasMessageStartingWith("phone:");
        assertThatThrownBy(() -> ApplicantRecord.of(Map.of("name", "A", "ssn", "1")))
                .hasMessageStartingWith("ssn:");
    }
}
