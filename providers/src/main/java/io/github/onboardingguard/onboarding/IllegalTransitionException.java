package io.github.onboardingguard.onboarding;

/** An event that the case's current stage does not allow. */
public final class IllegalTransitionException extends RuntimeException {

    private final Stage from;
    private final StageEvent event;

    public IllegalTransitionException(Stage from, StageEvent event, String reason) {
        super(event + " is not allowed in stage " + from + ": " + reason);
        this.from = from;
        this.event = event;
    }

    public Stage from() {
        return from;
    }

    public StageEvent event() {
        return event;
    }
}
