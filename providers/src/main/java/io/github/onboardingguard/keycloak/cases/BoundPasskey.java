package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.risk.PasskeyBinding;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/** The passkey a verifier saw the hire register, as Keycloak's WebAuthn login events name it. */
public final class BoundPasskey {

    private BoundPasskey() {}

    /** The bound credential's WebAuthn id, or null if the case binds none or it no longer exists. */
    public static String webAuthnIdOf(UserModel user, OnboardingCaseEntity onboardingCase) {
        String credentialId = onboardingCase.getVerifiedCredentialId();
        CredentialModel bound =
                credentialId == null ? null : user.credentialManager().getStoredCredentialById(credentialId);
        return bound == null
                ? null
                : WebAuthnCredentialModel.createFromCredentialModel(bound)
                        .getWebAuthnCredentialData()
                        .getCredentialId();
    }

    /**
     * Whether a passkey sign-in that reported {@code usedPasskeyId} was made with the bound passkey. The
     * id is all Keycloak reports, and an authenticator chooses its ids: if another credential of the user
     * carries the same id (registered later by someone who read it), the id proves nothing.
     */
    public static boolean signedInWith(UserModel user, OnboardingCaseEntity onboardingCase, String usedPasskeyId) {
        String bound = webAuthnIdOf(user, onboardingCase);
        if (usedPasskeyId == null
                || bound == null
                || PasskeyBinding.check(PasskeyBinding.METHOD_PASSKEY, usedPasskeyId, bound)
                        .isPresent()) {
            return false;
        }
        String boundId = PasskeyBinding.normalised(bound);
        long sharing = user.credentialManager()
                .getStoredCredentialsStream()
                .filter(c -> c.getType() != null && c.getType().startsWith(WebAuthnCredentialModel.TYPE_TWOFACTOR))
                .filter(c -> boundId.equals(webAuthnId(c)))
                .count();
        return sharing == 1;
    }

    /** A WebAuthn credential's id as login events report it (base64url); empty if unreadable. */
    public static String webAuthnId(CredentialModel credential) {
        try {
            return PasskeyBinding.normalised(WebAuthnCredentialModel.createFromCredentialModel(credential)
                    .getWebAuthnCredentialData()
                    .getCredentialId());
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
