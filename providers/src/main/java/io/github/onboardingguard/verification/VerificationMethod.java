package io.github.onboardingguard.verification;

/** How the verifier saw the hire and their document; how the helpdesk talked to a caller. */
public enum VerificationMethod {
    VIDEO,
    IN_PERSON,
    /** Only for a helpdesk check: nobody is seen, the caller reads out the code from their own page. */
    PHONE
}
