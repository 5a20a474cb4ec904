package io.github.onboardingguard.risk;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a verified hire's login was made with the passkey bound in the identity ceremony: the
 * one credential the verifier saw the verified person register.
 */
public final class PasskeyBinding {

    /** How the gate noted the login. {@code null} when no gate ran in it. */
    public static final String METHOD_PASSKEY = "passkey";

    public static final String METHOD_SSO = "sso";

    /** Why a login does not count as the bound passkey's. */
    public enum Unbound {
        /** A passkey signed in, but not the bound one (a second device, or the bound one was replaced). */
        OTHER_PASSKEY,
        /** Password, OTP, an identity provider, a reset link: no passkey at all. */
        NOT_A_PASSKEY,
        /** No gate ran in this login (a flow without it), so nothing says how it proved who it is. */
        UNKNOWN_METHOD;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private PasskeyBinding() {}

    /**
     * @param loginMethod    the gate's note on the session, {@code null} without one
     * @param usedPasskeyId  the WebAuthn credential id on Keycloak's login event, {@code null} without one. Only
     *                       read when the gate saw a passkey sign in: the id of a passkey registered during the
     *                       login (e.g. on an SSO session) is on the event too
     * @param boundPasskeyId the bound credential's WebAuthn id, {@code null} if it no longer exists
     */
    public static Optional<Unbound> check(String loginMethod, String usedPasskeyId, String boundPasskeyId) {
        if (loginMethod == null) {
            return Optional.of(Unbound.UNKNOWN_METHOD);
        }
        if (METHOD_SSO.equals(loginMethod)) {
            // SSO reuses a session whose own login was checked when it began.
            return Optional.empty();
        }
        if (!METHOD_PASSKEY.equals(loginMethod)) {
            return Optional.of(Unbound.NOT_A_PASSKEY);
        }
        boolean bound = usedPasskeyId == null
                || boundPasskeyId != null && normalised(usedPasskeyId).equals(normalised(boundPasskeyId));
        return bound ? Optional.empty() : Optional.of(Unbound.OTHER_PASSKEY);
    }

    /** Keycloak reports the id in base64url and stores it in standard base64; compare the bytes they stand for. */
    public static String normalised(String base64) {
        String urlSafe = base64.trim().replace('+', '-').replace('/', '_');
        int end = urlSafe.length();
        while (end > 0 && urlSafe.charAt(end - 1) == '=') {
            end--;
        }
        return urlSafe.substring(0, end);
    }
}
