package io.github.onboardingguard.verification;

import java.util.Objects;
import java.util.Optional;

/**
 * Who may verify whom: never oneself, never one's own hire (as sponsor or as the admin who opened
 * the case), never as a verifier one appointed oneself, and with dual control never both steps.
 */
public final class SeparationOfDuties {

    private SeparationOfDuties() {}

    public record Refusal(String code, String message) {}

    /**
     * The people around one verification step.
     *
     * @param creatorId            who opened the case, or null (a case from before this was recorded, or the system)
     * @param documentVerifierId   who approved the case's document step, or null
     * @param verifierSelfAppointed whether the verifier's own latest grant of the verifier role was made by themself
     */
    public record Parties(
            String verifierId,
            String hireId,
            String sponsorId,
            String creatorId,
            String documentVerifierId,
            boolean verifierSelfAppointed) {}

    /** @param dualControl policy: document and identity steps need two different verifiers */
    public static Optional<Refusal> check(Parties parties, VerificationStep step, boolean dualControl) {
        String verifierId = parties.verifierId();
        if (Objects.equals(verifierId, parties.hireId())) {
            return Optional.of(new Refusal("verifier_is_hire", "A hire cannot verify themselves"));
        }
        if (verifierId.equals(parties.sponsorId())) {
            return Optional.of(new Refusal(
                    "verifier_is_sponsor",
                    "The hire's sponsor cannot verify them; another verifier must run the ceremony"));
        }
        if (verifierId.equals(parties.creatorId())) {
            return Optional.of(new Refusal(
                    "verifier_is_creator",
                    "Whoever opened the hire's case cannot verify them; another verifier must run the ceremony"));
        }
        if (parties.verifierSelfAppointed()) {
            return Optional.of(new Refusal(
                    "verifier_self_appointed",
                    "You gave yourself the verifier role; a verifier must be appointed by another admin"));
        }
        if (dualControl && step == VerificationStep.IDENTITY && verifierId.equals(parties.documentVerifierId())) {
            return Optional.of(new Refusal(
                    "dual_control",
                    "Dual control: the identity step needs a different verifier than the document step"));
        }
        return Optional.empty();
    }
}
