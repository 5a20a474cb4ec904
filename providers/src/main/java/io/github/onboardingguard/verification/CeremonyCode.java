package io.github.onboardingguard.verification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one-time code the hire reads out to the verifier. Only a salted SHA-256 hash is stored;
 * brute force is bounded by the ceremony's attempt limit and the code's short validity.
 */
public final class CeremonyCode {

    public static final int DIGITS = 6;
    private static final int BOUND = 1_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CeremonyCode() {}

    /** A freshly drawn code, shown once, and what is kept of it. */
    public record Issued(String code, String salt, String hash) {
        @Override
        public String toString() {
            return "Issued[code=******, hash=" + hash + "]";
        }
    }

    public static Issued issue() {
        String code = String.format("%0" + DIGITS + "d", RANDOM.nextInt(BOUND));
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = Base64.getUrlEncoder().withoutPadding().encodeToString(saltBytes);
        return new Issued(code, salt, hash(salt, code));
    }

    /** "123 456", "123-456" and "123456" are the same code; anything else is not a code at all. */
    public static String normalize(String entered) {
        if (entered == null) {
            return null;
        }
        String digits = entered.replace(" ", "").replace("-", "");
        return digits.length() == DIGITS && digits.chars().allMatch(c -> c >= '0' && c <= '9') ? digits : null;
    }

    public static boolean matches(String salt, String storedHash, String entered) {
        String code = normalize(entered);
        if (code == null || salt == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(
                hash(salt, code).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** For display: "123 456" is easier to read out than "123456". */
    public static String grouped(String code) {
        return code.substring(0, DIGITS / 2) + " " + code.substring(DIGITS / 2);
    }

    static String hash(String salt, String code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            return HexFormat.of().formatHex(digest.digest(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
