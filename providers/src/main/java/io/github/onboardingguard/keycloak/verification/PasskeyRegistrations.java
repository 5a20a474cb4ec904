package io.github.onboardingguard.keycloak.verification;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.risk.PasskeyBinding;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.events.Event;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A passkey registered while a ceremony that sees the person is open: whether it can leave its device.
 * Keycloak keeps the authenticator's flags only during the registration request, so they are read there,
 * from the attestation object the browser posted, and noted on the ceremony for the binding check.
 */
public final class PasskeyRegistrations {

    private static final String PASSWORDLESS = "webauthn-passwordless";
    private static final String CREDENTIAL_ID_DETAIL = "public_key_credential_id";
    private static final String ATTESTATION_OBJECT = "attestationObject";
    private static final ObjectConverter CBOR = new ObjectConverter();
    /** WebAuthn allows ids of up to 1023 bytes; anything longer is not noted (and so counts as may-be-synced). */
    private static final int MAX_ID = 1400;

    private PasskeyRegistrations() {}

    public static void onEvent(KeycloakSession session, RealmModel realm, UserModel user, Event event) {
        Map<String, String> details = event.getDetails();
        if (event.getError() != null
                || event.getType() == null
                || !"UPDATE_CREDENTIAL".equals(event.getType().name())
                || details == null
                || !PASSWORDLESS.equals(details.get("credential_type"))
                || details.get(CREDENTIAL_ID_DETAIL) == null
                || session.getContext().getHttpRequest() == null) {
            return;
        }
        Ceremonies ceremonies = new Ceremonies(session, realm);
        new CaseLookup(session, realm)
                .caseOf(user)
                .flatMap(ceremonies::openFor)
                .filter(ceremony -> ceremony.getStep().seesThePerson())
                .ifPresent(ceremony -> {
                    Registered registered = registered(session);
                    Boolean backupEligible = registered == null ? null : registered.backupEligible();
                    String id = registered == null ? "" : registered.webAuthnId();
                    boolean deviceBound = Boolean.FALSE.equals(backupEligible)
                            && !id.isEmpty()
                            && id.length() <= MAX_ID
                            && ceremony.noteDeviceBound(id);
                    Map<String, Object> noted = new LinkedHashMap<>();
                    noted.put("passkeyId", id.length() <= MAX_ID ? id : id.substring(0, MAX_ID));
                    // null: the flags could not be read, which counts as "may be synced".
                    noted.put("backupEligible", backupEligible);
                    noted.put("deviceBound", deviceBound);
                    AuditLog.append(
                            session, realm.getId(), user.getId(), user.getId(), "ceremony.passkey_registered", noted);
                });
    }

    /** What the authenticator data just registered says: the credential's id and its backup-eligible flag (BE). */
    private record Registered(String webAuthnId, boolean backupEligible) {}

    /** Read from the attestation object Keycloak verified, not from the form's separate id field; null if unreadable. */
    private static Registered registered(KeycloakSession session) {
        try {
            MultivaluedMap<String, String> form =
                    session.getContext().getHttpRequest().getDecodedFormParameters();
            String attestation = form == null ? null : form.getFirst(ATTESTATION_OBJECT);
            if (attestation == null) {
                return null;
            }
            var authenticatorData = new AttestationObjectConverter(CBOR)
                    .convert(Base64.getUrlDecoder().decode(attestation))
                    .getAuthenticatorData();
            byte[] credentialId = authenticatorData.getAttestedCredentialData().getCredentialId();
            return new Registered(
                    PasskeyBinding.normalised(Base64.getUrlEncoder().encodeToString(credentialId)),
                    authenticatorData.isFlagBE());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
