package io.github.onboardingguard.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.onboarding.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SeparationOfDutiesTest {

    private static java.util.Optional<String> refusal(
            String verifier,
            String hire,
            String sponsor,
            String creator,
            String documentVerifier,
            boolean selfAppointed,
            VerificationStep step,
            boolean dualControl) {
        return SeparationOfDuties.check(
                        new SeparationOfDuties.Parties(
                                verifier, hire, sponsor, creator, documentVerifier, selfAppointed),
                        step,
                        dualControl)
                .map(SeparationOfDuties.Refusal::code);
    }

    @Test
    @DisplayName(
            "verifier is never the hire, the sponsor, the case's creator or self-appointed; with dual control never both steps")
    void rules() {
        assertThat(refusal("v", "v", "s", "a", null, false, VerificationStep.DOCUMENT, false))
                .contains("verifier_is_hire");
        assertThat(refusal("s", "h", "s", "a", null, false, VerificationStep.DOCUMENT, false))
                .contains("verifier_is_sponsor");
        assertThat(refusal("a", "h", "s", "a", null, false, VerificationStep.DOCUMENT, false))
                .contains("verifier_is_creator");
        assertThat(refusal("v", "h", "s", "a", null, true, VerificationStep.DOCUMENT, false))
                .contains("verifier_self_appointed");
        assertThat(refusal("v", "h", "s", "a", "v", false, VerificationStep.IDENTITY, true))
                .contains("dual_control");
        assertThat(refusal("v", "h", "s", "a", "v", false, VerificationStep.IDENTITY, false))
                .isEmpty();
        assertThat(refusal("v2", "h", "s", "a", "v", false, VerificationStep.IDENTITY, true))
                .isEmpty();
        assertThat(refusal("v", "h", null, null, null, false, VerificationStep.DOCUMENT, true))
                .isEmpty();
    }

    @Test
    @DisplayName("a verifier or auditor role stands only when its maker manages the realm, or no request made it, "
            + "or the extension applies a grant checked when it was recorded")
    void appointments() {
        assertThat(Appointment.decide(false, true, false, false)).isEqualTo(Appointment.Outcome.NOT_PRIVILEGED);
        assertThat(Appointment.decide(true, true, false, false)).isEqualTo(Appointment.Outcome.REFUSED);
        assertThat(Appointment.decide(true, true, true, false)).isEqualTo(Appointment.Outcome.ALLOWED);
        assertThat(Appointment.decide(true, false, false, false)).isEqualTo(Appointment.Outcome.ALLOWED);
        assertThat(Appointment.decide(true, true, false, true)).isEqualTo(Appointment.Outcome.ALLOWED);
    }

    @Test
    @DisplayName("the awaited step follows the stage machine and the document-step policy")
    void awaitedStep() {
        assertThat(VerificationStep.awaitedIn(Stage.PROBATION, true)).contains(VerificationStep.DOCUMENT);
        assertThat(VerificationStep.awaitedIn(Stage.DOCUMENT_VERIFIED, true)).contains(VerificationStep.IDENTITY);
        assertThat(VerificationStep.allowedIn(Stage.PROBATION, false, VerificationStep.IDENTITY))
                .isTrue();
        assertThat(VerificationStep.allowedIn(Stage.PROBATION, true, VerificationStep.IDENTITY))
                .isFalse();
        assertThat(VerificationStep.awaitedIn(Stage.INVITED, true)).isEmpty();
        assertThat(VerificationStep.awaitedIn(Stage.VERIFIED, true)).isEmpty();
        assertThat(VerificationStep.awaitedIn(Stage.SUSPENDED, true)).isEmpty();
    }
}
