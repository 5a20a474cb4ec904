package io.github.onboardingguard.verification;

/**
 * Whether a grant that reaches a privileged onboarding role (verifier, auditor, helpdesk) may stand.
 * Keycloak lets any holder of {@code manage-users} map any realm role, so these roles would
 * otherwise be one click away for a helpdesk account; appointing them takes {@code manage-realm}.
 */
public final class Appointment {

    /** The privileged onboarding roles, by the names the realm configuration gives them. */
    public static final String VERIFIER_ROLE = "onboarding-verifier";

    public static final String AUDITOR_ROLE = "onboarding-auditor";
    /** Checks callers before a credential reset of a verified hire: a passed check lets the reset stand. */
    public static final String HELPDESK_ROLE = "onboarding-helpdesk";

    private Appointment() {}

    public enum Outcome {
        /** Not a privileged role: nothing to decide. */
        NOT_PRIVILEGED,
        /** Made by an admin who may manage the realm, on the server (an import), or by the extension applying a grant approved earlier. */
        ALLOWED,
        /** Made by someone who may not manage the realm: refused, audited, alerted. */
        REFUSED
    }

    /**
     * @param reachesPrivileged whether the granted role or group gives a privileged role, directly or through composites
     * @param fromRequest       whether a request with a bearer token made the grant (not an import or a task on the server)
     * @param actorManagesRealm whether the token's user may manage the grantee's realm (false when it leads to no user)
     * @param approvedEarlier   whether the extension is applying a grant whose maker was checked when it was deferred or held
     */
    public static Outcome decide(
            boolean reachesPrivileged, boolean fromRequest, boolean actorManagesRealm, boolean approvedEarlier) {
        if (!reachesPrivileged) {
            return Outcome.NOT_PRIVILEGED;
        }
        if (approvedEarlier || !fromRequest || actorManagesRealm) {
            return Outcome.ALLOWED;
        }
        return Outcome.REFUSED;
    }
}
