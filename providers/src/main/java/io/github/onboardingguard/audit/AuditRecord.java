package io.github.onboardingguard.audit;

import java.util.Arrays;
import java.util.List;

/**
 * One entry of a realm's audit chain as stored. {@code details} is canonical JSON; the hash
 * covers every field and the previous entry's hash.
 */
public record AuditRecord(
        String realmId,
        long seq,
        long at,
        String actor,
        String subject,
        String type,
        String details,
        String prevHash,
        String hash) {

    /** The text that is hashed: the fields in a fixed order, as a canonical JSON array (RFC 8785). */
    public String canonical() {
        return CanonicalJson.write(fields());
    }

    /** The same in the spelling entries were hashed with before the RFC 8785 escapes. */
    String legacyCanonical() {
        return CanonicalJson.writeLegacy(fields());
    }

    private List<Object> fields() {
        return Arrays.asList(realmId, seq, at, actor, subject, type, details);
    }
}
