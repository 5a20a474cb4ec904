package io.github.onboardingguard.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;

/**
 * The hash chain: each entry's hash is SHA-256 over the previous entry's hash and the entry's
 * canonical form, so changing, removing or reordering any entry breaks every link after it.
 */
public final class AuditChain {

    /** The previous hash of a realm's very first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    public static String hash(
            String prevHash,
            String realmId,
            long seq,
            long at,
            String actor,
            String subject,
            String type,
            String details) {
        return hash(
                prevHash, new AuditRecord(realmId, seq, at, actor, subject, type, details, prevHash, null).canonical());
    }

    /** SHA-256 over the previous hash, a newline and the canonical form, as lower-case hex. */
    static String hash(String prevHash, String canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) '\n');
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Where and how the chain is broken. */
    public record Break(long seq, Problem problem, String expected, String found) {}

    public enum Problem {
        /** The entry's content does not match its hash: it was changed. */
        HASH_MISMATCH,
        /** The entry does not point at the hash of the entry before it. */
        PREVIOUS_HASH_MISMATCH,
        /** A sequence number is missing: an entry was removed. */
        GAP,
        /** Entries are missing from the end (or all of them): the head says the chain continues past the last one. */
        TRUNCATED
    }

    /** Result of walking (part of) a chain. */
    public record Verification(long checked, long firstSeq, long lastSeq, Optional<Break> firstBreak) {
        public boolean valid() {
            return firstBreak.isEmpty();
        }
    }

    /**
     * Walks entries in sequence order and reports the first broken link.
     *
     * @param expectedFirstSeq the sequence number the walk must start at
     * @param expectedPrevHash what the first entry must point at (its predecessor's stored hash,
     *                         a pruning checkpoint's anchor, or {@link #GENESIS})
     */
    public static Verification verify(Iterator<AuditRecord> entries, long expectedFirstSeq, String expectedPrevHash) {
        long checked = 0;
        long expectedSeq = expectedFirstSeq;
        String previous = expectedPrevHash;
        long first = -1;
        long last = -1;
        while (entries.hasNext()) {
            AuditRecord entry = entries.next();
            if (first < 0) {
                first = entry.seq();
            }
            last = entry.seq();
            checked++;
            if (entry.seq() != expectedSeq) {
                return new Verification(
                        checked,
                        first,
                        last,
                        Optional.of(new Break(expectedSeq, Problem.GAP, "seq " + expectedSeq, "seq " + entry.seq())));
            }
            if (previous != null && !previous.equals(entry.prevHash())) {
                return new Verification(
                        checked,
                        first,
                        last,
                        Optional.of(
                                new Break(entry.seq(), Problem.PREVIOUS_HASH_MISMATCH, previous, entry.prevHash())));
            }
            String recomputed = hash(entry.prevHash(), entry.canonical());
            if (!recomputed.equals(entry.hash())
                    && !hash(entry.prevHash(), entry.legacyCanonical()).equals(entry.hash())) {
                return new Verification(
                        checked,
                        first,
                        last,
                        Optional.of(new Break(entry.seq(), Problem.HASH_MISMATCH, recomputed, entry.hash())));
            }
            previous = entry.hash();
            expectedSeq++;
        }
        return new Verification(checked, first, last, Optional.empty());
    }
}
