package io.github.onboardingguard.verification;

/** How the verifier saw the hire and their document. */
public enum VerificationMethod {
    VIDEO,
    IN_PERSON
}
