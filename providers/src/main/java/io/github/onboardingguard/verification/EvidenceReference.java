package io.github.onboardingguard.verification;

import java.util.regex.Pattern;

/**
 * Where the evidence lives outside Keycloak: a ticket id or a document hash such as
 * {@code sha256:9f86d0...}. Deliberately too short and too plain to carry an image.
 */
public final class EvidenceReference {

    public static final String FIELD = "evidenceRef";
    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:#/+=-]{0,127}$");

    private EvidenceReference() {}

    public static String validate(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ChecklistException(
                    FIELD, "'" + FIELD + "' is required: a ticket id or a hash of the document scan");
        }
        String trimmed = raw.trim();
        if (!ALLOWED.matcher(trimmed).matches()) {
            throw new ChecklistException(
                    FIELD,
                    "'" + FIELD + "' must be at most " + MAX_LENGTH
                            + " letters, digits or . _ : # / + = - (a ticket id or a hash, never the document itself)");
        }
        return trimmed;
    }
}
