package io.github.onboardingguard.keycloak.enrollment;

import io.github.onboardingguard.enrollment.ProvisioningPath;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jboss.logging.Logger;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * An enrollment decided later: the account was created by a path a rule covers, but the group the
 * rule asks for comes in a later request (an identity provider's mapper, SCIM's group update, the
 * console's group tab). Kept on the account as an attribute signed with the realm's HMAC key, so
 * an admin who may edit attributes cannot plant one on another user (and so put them on probation
 * without the right to take their roles away) or make one up for a path.
 */
final class PendingEnrollment {

    static final String ATTRIBUTE = "onboarding-enrollment-pending";
    private static final Logger LOG = Logger.getLogger(PendingEnrollment.class);
    private static final String NO_SOURCE = "-";

    record Pending(ProvisioningPath path, String source) {}

    private final KeycloakSession session;
    private final RealmModel realm;

    PendingEnrollment(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Marks {@code user}; false where the realm has no HMAC key to sign with (then nothing is pending). */
    boolean mark(UserModel user, ProvisioningPath path, String source) {
        String body = path.token() + ":" + (source == null ? NO_SOURCE : source);
        Optional<String> signature = signature(user, body);
        signature.ifPresent(sig -> user.setSingleAttribute(ATTRIBUTE, body + ":" + sig));
        return signature.isPresent();
    }

    /** The pending enrollment of {@code user}; a marker that does not verify is removed and reported. */
    Optional<Pending> of(UserModel user) {
        String value = user.getFirstAttribute(ATTRIBUTE);
        if (value == null) {
            return Optional.empty();
        }
        int last = value.lastIndexOf(':');
        String body = last < 0 ? value : value.substring(0, last);
        String[] parts = body.split(":", 2);
        Optional<ProvisioningPath> path = ProvisioningPath.ofToken(parts[0]);
        boolean valid = last > 0
                && parts.length == 2
                && path.isPresent()
                && signature(user, body)
                        .map(expected -> MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.US_ASCII),
                                value.substring(last + 1).getBytes(StandardCharsets.US_ASCII)))
                        .orElse(false);
        if (!valid) {
            LOG.warnf(
                    "Realm %s: user %s carries an enrollment marker the extension did not write; removed",
                    realm.getName(), user.getUsername());
            user.removeAttribute(ATTRIBUTE);
            return Optional.empty();
        }
        return Optional.of(new Pending(path.get(), NO_SOURCE.equals(parts[1]) ? null : parts[1]));
    }

    void clear(UserModel user) {
        user.removeAttribute(ATTRIBUTE);
    }

    private Optional<String> signature(UserModel user, String body) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = key == null ? null : key.getSecretKey();
        if (secret == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(secret);
            byte[] digest =
                    mac.doFinal(("onboarding-enrollment-pending|" + realm.getId() + "|" + user.getId() + "|" + body)
                            .getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }
}
