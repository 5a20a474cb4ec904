package io.github.onboardingguard.risk;

/** What happens when a rule fires, from the mildest to the strongest. */
public enum RiskAction {
    /** The rule is switched off. */
    OFF,
    /** Record a signal on the case. */
    LOG,
    /** Record, send a signed webhook and email the sponsor and the security address. */
    ALERT,
    /** Alert, and require a second factor from the next login on. */
    STEP_UP,
    /** Alert, and send a verified hire back to verification (probation, access withdrawn). */
    REVERIFY,
    /** Alert, disable the user and end their sessions. */
    SUSPEND;

    public boolean alerts() {
        return this.compareTo(ALERT) >= 0;
    }
}
