package io.github.onboardingguard.onboarding;

import java.util.List;

/** A policy that cannot be used; each problem names the setting and what is wrong with it. */
public final class PolicyException extends RuntimeException {

    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
