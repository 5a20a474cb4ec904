package io.github.onboardingguard.keycloak.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/** Build facts of the extension, shown in the admin console's provider info. */
public final class ExtensionInfo {

    public static final String NAME = "Keycloak Onboarding Guard";
    private static final String VERSION = loadVersion();

    private ExtensionInfo() {}

    public static String version() {
        return VERSION;
    }

    public static Map<String, String> operationalInfo() {
        return Map.of("extension", NAME, "version", VERSION);
    }

    private static String loadVersion() {
        try (InputStream in = ExtensionInfo.class.getResourceAsStream("/onboarding-guard.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
