package io.github.onboardingguard.verification;

/** How the verifier saw the hire and their document; how the helpdesk talked to a caller. */
public enum VerificationMethod {
    VIDEO,
    IN_PERSON,
    /** Only for a helpdesk check: nobody is seen, the caller reads out the code from their own page. */
    PHONE,
    /**
     * No verifier: an identity-verification vendor's result, delivered by its signed callback, stood in
     * for the step because the realm's vendors page allows it. Never opens a ceremony.
     */
    VENDOR
}
