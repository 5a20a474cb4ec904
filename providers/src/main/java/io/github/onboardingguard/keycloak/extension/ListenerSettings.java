package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.risk.CountryRanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.Config;

/**
 * The server-level options of the {@code onboarding-guard} listener, read once at start. They are
 * server configuration, the same on every node of a cluster, not state.
 *
 * @param countryRanges the admin's address-range file, for realms whose policy names no trusted country header
 * @param server        the options code below the listener uses (see {@link ServerOptions})
 */
record ListenerSettings(
        Duration expiryInterval, Duration webhookInterval, CountryRanges countryRanges, ServerOptions server) {

    /** {@code --spi-events-listener--onboarding-guard--expiry-interval-seconds}. */
    static final String EXPIRY_INTERVAL_OPTION = "expiryIntervalSeconds";

    static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofMinutes(5);
    /** {@code --spi-events-listener--onboarding-guard--webhook-interval-seconds}. */
    static final String WEBHOOK_INTERVAL_OPTION = "webhookIntervalSeconds";

    static final Duration DEFAULT_WEBHOOK_INTERVAL = Duration.ofSeconds(10);
    /** {@code --spi-events-listener--onboarding-guard--country-ranges-file}. */
    static final String COUNTRY_RANGES_OPTION = "countryRangesFile";
    /** {@code --spi-events-listener--onboarding-guard--webhook-allowed-hosts}: internal alert receivers, comma-separated. */
    static final String WEBHOOK_ALLOWED_HOSTS_OPTION = "webhookAllowedHosts";

    /** {@code --spi-events-listener--onboarding-guard--audit-min-retention-days}: the floor no realm can go below. */
    static final String AUDIT_MIN_RETENTION_OPTION = "auditMinRetentionDays";

    /** {@code --spi-events-listener--onboarding-guard--audit-log-stream}: copy committed audit entries to a log category. */
    static final String AUDIT_LOG_STREAM_OPTION = "auditLogStream";

    /**
     * {@code --spi-events-listener--onboarding-guard--vendor-identity-step}: whether realms may let a
     * vendor's result stand in for the live identity step (no one of the company sees the hire).
     */
    static final String VENDOR_IDENTITY_STEP_OPTION = "vendorIdentityStep";

    static final ListenerSettings DEFAULTS = new ListenerSettings(
            DEFAULT_EXPIRY_INTERVAL, DEFAULT_WEBHOOK_INTERVAL, CountryRanges.none(), ServerOptions.DEFAULTS);

    /** Refuses to start the server on a bad value rather than run with a surprise. */
    static ListenerSettings read(Config.Scope config) {
        Duration expiry = positiveSeconds(config, EXPIRY_INTERVAL_OPTION, DEFAULT_EXPIRY_INTERVAL);
        Duration webhook = positiveSeconds(config, WEBHOOK_INTERVAL_OPTION, DEFAULT_WEBHOOK_INTERVAL);
        CountryRanges ranges = CountryRanges.none();
        String rangesFile = config.get(COUNTRY_RANGES_OPTION);
        if (rangesFile != null && !rangesFile.isBlank()) {
            try {
                ranges = CountryRanges.parse(Files.readAllLines(Path.of(rangesFile.trim())));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(COUNTRY_RANGES_OPTION + " " + rangesFile + ": " + e.getMessage(), e);
            }
        }
        Set<String> allowedHosts = new TreeSet<>();
        String hosts = config.get(WEBHOOK_ALLOWED_HOSTS_OPTION);
        for (String host : hosts == null ? new String[0] : hosts.split(",")) {
            if (!host.isBlank()) {
                allowedHosts.add(host.trim().toLowerCase(Locale.ROOT));
            }
        }
        int minRetention =
                config.getInt(AUDIT_MIN_RETENTION_OPTION, ServerOptions.DEFAULT_MINIMUM_AUDIT_RETENTION_DAYS);
        if (minRetention < 0 || minRetention > OnboardingPolicy.MAX_AUDIT_RETENTION_DAYS) {
            throw new IllegalArgumentException(AUDIT_MIN_RETENTION_OPTION + " must be between 0 and "
                    + OnboardingPolicy.MAX_AUDIT_RETENTION_DAYS + " days");
        }
        return new ListenerSettings(
                expiry,
                webhook,
                ranges,
                new ServerOptions(
                        minRetention,
                        allowedHosts,
                        config.getBoolean(AUDIT_LOG_STREAM_OPTION, false),
                        config.getBoolean(VENDOR_IDENTITY_STEP_OPTION, false)));
    }

    private static Duration positiveSeconds(Config.Scope config, String option, Duration fallback) {
        Duration value = Duration.ofSeconds(config.getLong(option, fallback.toSeconds()));
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be a positive number of seconds");
        }
        return value;
    }
}
