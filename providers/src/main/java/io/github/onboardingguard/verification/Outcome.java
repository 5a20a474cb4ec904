package io.github.onboardingguard.verification;

/** A verifier's decision at the end of a ceremony. */
public enum Outcome {
    APPROVE,
    REJECT
}
