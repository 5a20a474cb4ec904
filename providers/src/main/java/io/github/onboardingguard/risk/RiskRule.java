package io.github.onboardingguard.risk;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The tell-tale signs of a hired-in attacker, each with the action and thresholds a company
 * onboarding remote engineers would start with.
 */
public enum RiskRule {
    /** Email or another contact attribute changed by the user. */
    CONTACT_CHANGE(
            "contact_change",
            RiskAction.REVERIFY,
            Map.of("attributes", "phoneNumber|mobile|street|postal_code|country")),
    /** A login from a country outside the allowed list (off until the list is set). */
    COUNTRY_NOT_ALLOWED("country_not_allowed", RiskAction.OFF, Map.of("allowed", "")),
    /**
     * The trusted country header is present but names no country: Cloudflare's {@code T1} (a Tor
     * exit), {@code XX} (unknown) or a malformed value. Once per value and window.
     */
    COUNTRY_UNKNOWN("country_unknown", RiskAction.ALERT, Map.of("window", "PT12H")),
    /** Logins from two countries within the window. */
    COUNTRY_HOP("country_hop", RiskAction.ALERT, Map.of("window", "PT12H")),
    /** One /24 (IPv4) or /64 (IPv6) used by several onboarding accounts within the window: a laptop farm. */
    SHARED_ADDRESS("shared_address", RiskAction.ALERT, Map.of("accounts", "3", "window", "P1D")),
    /** OTP or passkey added or removed, or password reset, by the user during probation. */
    CREDENTIAL_CHANGE("credential_change", RiskAction.ALERT, Map.of()),
    /** A login attempt to a client probation does not open. */
    RESTRICTED_CLIENT("restricted_client", RiskAction.LOG, Map.of()),
    /** An admin grants a role or group outside the probation allow-list before VERIFIED. */
    PRIVILEGED_GRANT("privileged_grant", RiskAction.ALERT, Map.of()),
    /**
     * Many failed logins within the window. Anyone who knows the username can cause them, so the
     * rule alerts at most (see {@link #strongestAction()}).
     */
    FAILED_LOGIN_BURST("failed_login_burst", RiskAction.ALERT, Map.of("failures", "5", "window", "PT15M")),
    /** With passkey binding: a verified hire logs in without the passkey bound in the identity ceremony. */
    UNBOUND_LOGIN("unbound_login", RiskAction.ALERT, Map.of()),
    /**
     * A hire who is not verified yet completed a login to a client probation does not open: some
     * door (a flow without the gate, a client's own flow) let them through. The session is ended.
     */
    UNGUARDED_LOGIN("unguarded_login", RiskAction.SUSPEND, Map.of()),
    /** The probationary role or the case marker was taken from a hire who is not verified yet (both are put back). */
    PROBATION_TAMPERING("probation_tampering", RiskAction.ALERT, Map.of()),
    /**
     * Someone followed the "this wasn't me" link of a recovery notice: a stand-in may have the account.
     * Only a holder of one of the account's mailboxes can, so it may suspend.
     */
    RECOVERY_REPUDIATED("recovery_repudiated", RiskAction.SUSPEND, Map.of()),
    /**
     * A session used from another country or network than it started in (a public client's refresh,
     * or a sign-in through its SSO cookie): a stolen cookie or refresh token replayed elsewhere. Once
     * per session and place. Only someone holding the session's cookie or refresh token can cause it,
     * so a change of country may suspend; a change of network alone (laptops and phones move) alerts
     * at most.
     */
    SESSION_CONTEXT_CHANGE("session_context_change", RiskAction.ALERT, Map.of("network", "true")),
    /**
     * Equipment for several hires shipped to one building (however the address is spelled) within the
     * window, or to one with a case still open: the laptop farm's address.
     */
    SHARED_SHIPPING_ADDRESS("shared_shipping_address", RiskAction.ALERT, Map.of("accounts", "2", "window", "P30D")),
    /**
     * The person verifying or working is not the one who applied: the document's legal names do not
     * match the hiring system's applicant record, or an email or phone changed during onboarding to
     * one the record does not have.
     */
    CANDIDATE_MISMATCH("candidate_mismatch", RiskAction.ALERT, Map.of());

    private final String id;
    private final RiskAction defaultAction;
    private final Map<String, String> defaultParameters;

    RiskRule(String id, RiskAction defaultAction, Map<String, String> defaultParameters) {
        this.id = id;
        this.defaultAction = defaultAction;
        this.defaultParameters = defaultParameters;
    }

    public String id() {
        return id;
    }

    public RiskAction defaultAction() {
        return defaultAction;
    }

    public Map<String, String> defaultParameters() {
        return defaultParameters;
    }

    /**
     * The strongest action the rule may carry out on the account. Events a stranger can cause (wrong
     * passwords) must not put a hire into a required action, re-verification or suspension: that
     * would hand every outsider a way to lock hires out. Such rules alert at most.
     */
    public RiskAction strongestAction() {
        return this == FAILED_LOGIN_BURST ? RiskAction.ALERT : RiskAction.SUSPEND;
    }

    /** The configured action, no stronger than {@link #strongestAction()}. */
    public RiskAction applied(RiskAction configured) {
        return configured.compareTo(strongestAction()) > 0 ? strongestAction() : configured;
    }

    public static Optional<RiskRule> byId(String id) {
        return Arrays.stream(values()).filter(rule -> rule.id.equals(id)).findFirst();
    }
}
