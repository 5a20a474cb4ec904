package io.github.onboardingguard.verification;

import java.util.Objects;
import java.util.Optional;

/** Who may verify whom: never oneself, never one's own hire, and with dual control never both steps. */
public final class SeparationOfDuties {

    private SeparationOfDuties() {
    }

    public record Refusal(String code, String message) {
    }

    /**
     * @param documentVerifierId who approved the case's document step, or null
     * @param dualControl policy: document and identity steps need two different verifiers
     */
    public static Optional<Refusal> check(String verifierId, String hireId, String sponsorId, String documentVerifierId,
                                         VerificationStep step, boolean dualControl) {
        if (Objects.equals(verifierId, hireId)) {
            return Optional.of(new Refusal("verifier_is_hire", "A hire cannot verify themselves"));
        }
        if (sponsorId != null && sponsorId.equals(verifierId)) {
            return Optional.of(new Refusal("verifier_is_sponsor",
                    "The hire's sponsor cannot verify them; another verifier must run the ceremony"));
        }
        if (dualControl && step == VerificationStep.IDENTITY && verifierId.equals(documentVerifierId)) {
            return Optional.of(new Refusal("dual_control",
                    "Dual control: the identity step needs a different verifier than the document step"));
        }
        return Optional.empty();
    }
}
