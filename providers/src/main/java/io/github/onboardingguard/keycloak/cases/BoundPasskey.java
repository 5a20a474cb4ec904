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

    /** Whether a passkey sign-in that reported {@code usedPasskeyId} was made with the bound passkey. */
    public static boolean signedInWith(UserModel user, OnboardingCaseEntity onboardingCase, String usedPasskeyId) {
        String bound = webAuthnIdOf(user, onboardingCase);
        return usedPasskeyId != null
                && bound != null
                && PasskeyBinding.check(PasskeyBinding.METHOD_PASSKEY, usedPasskeyId, bound)
                        .isEmpty();
    }
}
