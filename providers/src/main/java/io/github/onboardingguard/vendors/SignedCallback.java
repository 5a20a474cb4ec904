package io.github.onboardingguard.vendors;

import io.github.onboardingguard.webhooks.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a vendor's callback as the Standard Webhooks convention signs it: {@code webhook-id},
 * {@code webhook-timestamp} (seconds) and {@code webhook-signature} ({@code v1,<base64>}, several
 * space-separated while the vendor rotates its secret), HMAC-SHA256 over {@code id.timestamp.body}.
 * A timestamp outside the tolerance is refused even when signed, so a captured callback cannot be
 * replayed later; within it, the message id is refused a second time by the caller.
 */
public final class SignedCallback {

    /** How far a callback's timestamp may be from the server's clock, either way. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** The largest body accepted, in bytes: a result is a few hundred. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public enum Verdict {
        ACCEPTED,
        /** A header is missing or malformed. */
        UNSIGNED,
        /** No signature matches a secret of the vendor. */
        FORGED,
        /** Signed, but the timestamp is outside the tolerance. */
        STALE
    }

    private SignedCallback() {}

    public static Verdict verify(
            String id, String timestamp, String signatures, String body, List<String> secrets, Instant now) {
        if (id == null
                || timestamp == null
                || signatures == null
                || !MESSAGE_ID.matcher(id).matches()) {
            return Verdict.UNSIGNED;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.UNSIGNED;
        }
        boolean signed = false;
        for (String secret : secrets) {
            byte[] expected = StandardWebhooks.sign(secret, id, seconds, body).getBytes(StandardCharsets.UTF_8);
            for (String candidate : signatures.trim().split("\\s+")) {
                // Constant time: a signature is not guessed byte by byte from response times.
                signed |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!signed) {
            return Verdict.FORGED;
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        return skew > TOLERANCE.toSeconds() ? Verdict.STALE : Verdict.ACCEPTED;
    }
}
