package io.github.onboardingguard.keycloak.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keycloak versions the extension runs on. It uses server internals that changed in 26.7
 * (the client-policy contexts that carry the client session), so on an older server its token
 * checks would fail on every request; it stops the server's start instead, with a message.
 */
public final class SupportedKeycloak {

    /** Oldest supported release: the API the JAR is compiled against, measured by the version matrix. */
    public static final int[] MINIMUM = {26, 7};
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    private SupportedKeycloak() {
    }

    /** Whether a Keycloak version string (e.g. {@code 26.7.3}, {@code 999.0.0-SNAPSHOT}) is supported. */
    public static boolean supports(String version) {
        Matcher matcher = version == null ? null : MAJOR_MINOR.matcher(version.trim());
        if (matcher == null || !matcher.find()) {
            // A build without a version (a development server) gets the benefit of the doubt.
            return true;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major > MINIMUM[0] || (major == MINIMUM[0] && minor >= MINIMUM[1]);
    }

    /** Refuses to start on an older server, naming both versions. */
    public static void require(String serverVersion) {
        if (!supports(serverVersion)) {
            throw new IllegalStateException(ExtensionInfo.NAME + " " + ExtensionInfo.version() + " needs Keycloak "
                    + MINIMUM[0] + "." + MINIMUM[1] + " or later; this server is Keycloak " + serverVersion
                    + ". Remove the JAR from providers/ or upgrade Keycloak.");
        }
    }
}
