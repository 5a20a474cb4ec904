package io.github.onboardingguard.onboarding;

import java.util.function.BooleanSupplier;

/**
 * What a user with an onboarding case meets at a client right now: the one probation decision that
 * the login gate, the token paths and the client-policy executor all take.
 *
 * <ol>
 *   <li>{@link #CLOSED}: the stage blocks login, or a pending case is past its deadline (the expiry
 *       task, which runs every few minutes, may not have reached it yet).
 *   <li>{@link #POLICY_INVALID}: not verified yet, and the realm's stored policy cannot be read: fail
 *       closed rather than run probation under weaker defaults. A VERIFIED user is not refused for it:
 *       the policy governs probation, and their access is their own roles.
 *   <li>{@link #NOT_YET}: not verified yet, and the policy does not open this client in probation; in
 *       recovery, every client (a stand-in with the hire's mailbox must not reach even probation's).
 *   <li>{@link #OPEN} otherwise.
 * </ol>
 */
public enum Access {
    OPEN,
    CLOSED,
    POLICY_INVALID,
    NOT_YET;

    /**
     * @param policyValid asked only for a user who is not verified (reading the policy's state costs a look-up)
     * @param clientOpenInProbation asked only once the policy is known to be valid
     */
    public static Access decide(
            Stage stage, long deadline, long now, BooleanSupplier policyValid, BooleanSupplier clientOpenInProbation) {
        if (stage.blocksLogin() || stage.isPending() && deadline > 0 && deadline <= now) {
            return CLOSED;
        }
        if (stage == Stage.VERIFIED) {
            return OPEN;
        }
        if (!policyValid.getAsBoolean()) {
            return POLICY_INVALID;
        }
        if (stage == Stage.RECOVERY) {
            return NOT_YET;
        }
        return clientOpenInProbation.getAsBoolean() ? OPEN : NOT_YET;
    }
}
