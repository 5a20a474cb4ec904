package io.github.onboardingguard.verification;

import io.github.onboardingguard.onboarding.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeparationOfDutiesTest {

    @Test
    @DisplayName("verifier is never the hire or the sponsor; with dual control never both steps")
    void rules() {
        assertThat(SeparationOfDuties.check("v", "v", "s", null, VerificationStep.DOCUMENT, false))
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("verifier_is_hire"));
        assertThat(SeparationOfDuties.check("s", "h", "s", null, VerificationStep.DOCUMENT, false))
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("verifier_is_sponsor"));
        assertThat(SeparationOfDuties.check("v", "h", "s", "v", VerificationStep.IDENTITY, true))
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("dual_control"));
        assertThat(SeparationOfDuties.check("v", "h", "s", "v", VerificationStep.IDENTITY, false)).isEmpty();
        assertThat(SeparationOfDuties.check("v2", "h", "s", "v", VerificationStep.IDENTITY, true)).isEmpty();
        assertThat(SeparationOfDuties.check("v", "h", null, null, VerificationStep.DOCUMENT, true)).isEmpty();
    }

    @Test
    @DisplayName("the awaited step follows the stage machine and the document-step policy")
    void awaitedStep() {
        assertThat(VerificationStep.awaitedIn(Stage.PROBATION, true)).contains(VerificationStep.DOCUMENT);
        assertThat(VerificationStep.awaitedIn(Stage.DOCUMENT_VERIFIED, true)).contains(VerificationStep.IDENTITY);
        assertThat(VerificationStep.allowedIn(Stage.PROBATION, false, VerificationStep.IDENTITY)).isTrue();
        assertThat(VerificationStep.allowedIn(Stage.PROBATION, true, VerificationStep.IDENTITY)).isFalse();
        assertThat(VerificationStep.awaitedIn(Stage.INVITED, true)).isEmpty();
        assertThat(VerificationStep.awaitedIn(Stage.VERIFIED, true)).isEmpty();
        assertThat(VerificationStep.awaitedIn(Stage.SUSPENDED, true)).isEmpty();
    }
}
