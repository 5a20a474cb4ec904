package io.github.onboardingguard.onboarding;

/** Where a hire's onboarding case stands. Only VERIFIED grants the hire's real access. */
public enum Stage {
    INVITED,
    PROBATION,
    DOCUMENT_VERIFIED,
    VERIFIED,
    /**
     * A verified hire's account got a credential through recovery (a reset link, an admin's reset): no
     * client opens until the person signs in with the passkey bound at verification or a verifier sees
     * them again. Probation's limits hold on the account meanwhile.
     */
    RECOVERY,
    SUSPENDED,
    EXPIRED,
    REJECTED;

    /** Not verified yet but still able to move towards VERIFIED. */
    public boolean isPending() {
        return this == INVITED || this == PROBATION || this == DOCUMENT_VERIFIED;
    }

    /** Probation's limits hold on the account: the probationary role, grants held, tokens filtered. */
    public boolean isRestricted() {
        return isPending() || this == RECOVERY;
    }

    /** The hire may not log in anywhere. */
    public boolean blocksLogin() {
        return this == SUSPENDED || this == EXPIRED || this == REJECTED;
    }

    /** How far verification got, as relying apps see it in the {@code onboarding} claim. */
    public String verificationLevel() {
        return switch (this) {
            case VERIFIED -> "verified";
            case DOCUMENT_VERIFIED -> "document";
            default -> "none";
        };
    }

    /** Whether a change from one stage to the other takes access away (blocked, or from VERIFIED to verification or recovery). */
    public static boolean narrows(Stage from, Stage to) {
        return to.blocksLogin() || from == VERIFIED && to.isRestricted();
    }

    /** No transition leaves this stage. */
    public boolean isFinal() {
        return this == EXPIRED || this == REJECTED;
    }
}
