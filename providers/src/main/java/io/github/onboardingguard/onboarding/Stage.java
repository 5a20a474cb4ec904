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

    /** Stages from which the case can still move forward towards VERIFIED. */
    public boolean isActive() {
        return this == INVITED || this == PROBATION || this == DOCUMENT_VERIFIED;
    }

    /** Stages in which the hire may not log in at all. */
    public boolean isBlocking() {
        return this == SUSPENDED || this == EXPIRED || this == REJECTED;
    }
}
