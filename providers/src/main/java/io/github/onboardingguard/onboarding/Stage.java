package io.github.onboardingguard.onboarding;

/** Where a hire's onboarding case stands. Only VERIFIED grants the hire's real access. */
public enum Stage {
    INVITED,
    PROBATION,
    DOCUMENT_VERIFIED,
    VERIFIED,
    SUSPENDED,
    EXPIRED,
    REJECTED;

    /** Not verified yet but still able to move towards VERIFIED. */
    public boolean isPending() {
        return this == INVITED || this == PROBATION || this == DOCUMENT_VERIFIED;
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

    /** Whether a change from one stage to the other takes access away (blocked, or back from VERIFIED to verification). */
    public static boolean narrows(Stage from, Stage to) {
        return to.blocksLogin() || from == VERIFIED && to.isPending();
    }

    /** No transition leaves this stage. */
    public boolean isFinal() {
        return this == EXPIRED || this == REJECTED;
    }
}
