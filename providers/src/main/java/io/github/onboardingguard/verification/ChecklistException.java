package io.github.onboardingguard.verification;

/** A checklist item that is missing, of the wrong type, or not allowed for the decision. */
public final class ChecklistException extends IllegalArgumentException {

    private final String field;

    public ChecklistException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
