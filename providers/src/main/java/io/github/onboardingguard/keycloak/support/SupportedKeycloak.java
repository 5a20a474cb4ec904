package io.github.onboardingguard.keycloak.support;

import java.util.Map;
import java.util.Optional;
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
    /**
     * Releases inside the supported range that open a door this extension guards: it refuses them
     * rather than run on a server whose own flows can be walked around. 26.7.0 and 26.7.1 let an
     * unauthenticated caller set a new password through the reset-credentials flow without the
     * emailed link (CVE-2026-18963, keycloak/keycloak#51833, fixed in 26.7.2).
     */
    static final Map<String, String> UNSAFE = Map.of(
            "26.7.0", "CVE-2026-18963 (a new password through reset credentials without the emailed link)",
            "26.7.1", "CVE-2026-18963 (a new password through reset credentials without the emailed link)");
    /** major.minor.micro at the start, whatever follows: -SNAPSHOT, .redhat-00001. */
    private static final Pattern RELEASE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)");
    /** The oldest release the extension runs on. */
    public static final String SAFE_FROM = "26.7.2";

    private SupportedKeycloak() {}

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

    /** The reason a supported release is still refused, if it is one of {@link #UNSAFE}. */
    public static Optional<String> unsafe(String version) {
        if (version == null) {
            return Optional.empty();
        }
        Matcher release = RELEASE.matcher(version.trim());
        return release.find() ? Optional.ofNullable(UNSAFE.get(release.group(1))) : Optional.empty();
    }

    /** Refuses to start on an older or a known unsafe server, naming both versions. */
    public static void require(String serverVersion) {
        unsafe(serverVersion).ifPresent(reason -> {
            throw new IllegalStateException(
                    ExtensionInfo.NAME + " " + ExtensionInfo.version() + " refuses to run on Keycloak " + serverVersion
                            + ": " + reason + ". Upgrade Keycloak to " + SAFE_FROM + " or later.");
        });
        if (!supports(serverVersion)) {
            throw new IllegalStateException(ExtensionInfo.NAME + " " + ExtensionInfo.version() + " needs Keycloak "
                    + MINIMUM[0] + "." + MINIMUM[1] + " or later; this server is Keycloak " + serverVersion
                    + ". Remove the JAR from providers/ or upgrade Keycloak.");
        }
    }
}
