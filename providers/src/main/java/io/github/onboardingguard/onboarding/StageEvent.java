package io.github.onboardingguard.onboarding;

/** What can happen to an onboarding case. */
public enum StageEvent {
    /** The hire finished the invitation's required actions and logged in for the first time. */
    FIRST_LOGIN,
    /** A verifier approved the ID document. */
    DOCUMENT_APPROVED,
    /** A verifier saw the person (video or in person) and approved. */
    IDENTITY_APPROVED,
    /** The probation deadline passed. */
    DEADLINE_PASSED,
    /** A risk rule or a security decision stopped all access. */
    SUSPEND,
    /** Security lifted a suspension; the case returns to the stage it left. */
    REINSTATE,
    /** A verifier or HR found the hire not to be who they claim. */
    REJECT,
    /** A risk rule withdrew verified access until the hire is verified again. */
    REVERIFY,
    /** A verified hire's account got a new credential through recovery (reset link, admin reset). */
    RECOVERY_STARTED,
    /** The person in recovery signed in with the bound passkey, or a verifier saw them and the onboarding record matched. */
    RECOVERED
}
