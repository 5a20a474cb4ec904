package io.github.onboardingguard.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks convention defines them, so receivers can check them with
 * existing libraries: HMAC-SHA256 keyed with the decoded {@code whsec_} secret over
 * {@code id.timestamp.body}, sent as {@code webhook-signature: v1,<base64>}. While a secret is
 * rotated the header carries one signature per secret, space-separated, and a receiver that
 * knows either accepts the message.
 */
public final class StandardWebhooks {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String PREFIX = "whsec_";

    private StandardWebhooks() {}

    public static String sign(String secret, String id, long timestampSeconds, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** The header value for every secret in use, the current one first. */
    public static String sign(List<String> secrets, String id, long timestampSeconds, String body) {
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add(sign(secret, id, timestampSeconds, body));
        }
        return header.toString();
    }

    /** {@code whsec_} followed by base64 of 24 to 64 bytes. */
    public static boolean validSecret(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
            return length >= 24 && length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
