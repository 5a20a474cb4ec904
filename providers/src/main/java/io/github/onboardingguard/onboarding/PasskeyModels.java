package io.github.onboardingguard.onboarding;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Company-issued passkeys: the authenticator models (AAGUIDs) whose passkeys may be bound at a
 * ceremony. Empty: any passkey. The model is the AAGUID the authenticator reports; a browser that
 * withholds it (all zeros) names no model and is refused. Only Keycloak's attestation check against
 * the vendors' roots (a truststore) makes the reported model trustworthy.
 */
public record PasskeyModels(Set<String> allowed, boolean deviceBoundOnly) {

    public static final String SETTING = "passkeyModels";
    /** Only passkeys that cannot leave their device (WebAuthn's backup-eligible flag off): no synced passkeys. */
    public static final String DEVICE_BOUND_SETTING = "passkeyDeviceBoundOnly";

    private static final Pattern AAGUID =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final String UNKNOWN_MODEL = "00000000-0000-0000-0000-000000000000";

    public PasskeyModels {
        allowed = Set.copyOf(allowed);
    }

    public static PasskeyModels any() {
        return new PasskeyModels(Set.of(), false);
    }

    /** Why a passkey of this model may not be bound; empty if it may. */
    public Optional<String> refusal(String aaguid) {
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        String model = aaguid == null ? UNKNOWN_MODEL : aaguid.trim().toLowerCase(Locale.ROOT);
        if (UNKNOWN_MODEL.equals(model)) {
            return Optional.of("the browser did not report its model (set the WebAuthn passwordless policy's "
                    + "attestation conveyance to Direct)");
        }
        return allowed.contains(model)
                ? Optional.empty()
                : Optional.of("model " + model + " is not one of the " + allowed.size() + " company-issued models");
    }

    static PasskeyModels parse(Map<String, List<String>> settings, List<String> problems) {
        Set<String> models = new TreeSet<>();
        for (String value : settings.getOrDefault(SETTING, List.of())) {
            for (String entry : value.split("##|,")) {
                String model = entry.trim().toLowerCase(Locale.ROOT);
                if (model.isEmpty()) {
                    continue;
                }
                if (!AAGUID.matcher(model).matches() || UNKNOWN_MODEL.equals(model)) {
                    problems.add(SETTING + " entry '" + entry.trim()
                            + "' must be an authenticator model's AAGUID, e.g. cb69481e-8ff7-4039-93ec-0a2729a154a8");
                    continue;
                }
                models.add(model);
            }
        }
        List<String> deviceBound = settings.getOrDefault(DEVICE_BOUND_SETTING, List.of());
        String raw = deviceBound.isEmpty() ? "" : deviceBound.get(0).trim().toLowerCase(Locale.ROOT);
        if (!raw.isEmpty() && !raw.equals("true") && !raw.equals("false")) {
            problems.add(DEVICE_BOUND_SETTING + " must be true or false, was '" + deviceBound.get(0) + "'");
        }
        return new PasskeyModels(models, raw.equals("true"));
    }

    Map<String, List<String>> toSettings() {
        return Map.of(
                SETTING,
                List.copyOf(new TreeSet<>(allowed)),
                DEVICE_BOUND_SETTING,
                List.of(Boolean.toString(deviceBoundOnly)));
    }
}
