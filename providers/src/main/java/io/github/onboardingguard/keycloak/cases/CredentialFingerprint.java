package io.github.onboardingguard.keycloak.cases;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

/**
 * What a verified hire signs in with, as one hash: each credential's id, type, creation time and
 * secret (already a hash). Kept on the case at verification and after every change the extension
 * judged, so a change no event names (an admin's user update carrying credentials) shows as a
 * different hash. A passkey's counter (credential data) is left out: it moves at every sign-in.
 */
public final class CredentialFingerprint {

    private CredentialFingerprint() {}

    public static String of(UserModel user) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        user.credentialManager()
                .getStoredCredentialsStream()
                .map(CredentialFingerprint::line)
                .sorted()
                .forEach(line -> sha256.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String line(CredentialModel credential) {
        return credential.getId() + "|" + credential.getType() + "|" + credential.getCreatedDate() + "|"
                + credential.getSecretData();
    }

    /** Records the account's credentials as they are now as the ones the extension has judged. */
    public static void remember(OnboardingCaseEntity onboardingCase, UserModel user) {
        onboardingCase.setCredentialFingerprint(of(user));
    }

    /** Whether the account's credentials differ from the ones last judged (never, for a case without a record). */
    public static boolean changedSinceJudged(OnboardingCaseEntity onboardingCase, UserModel user) {
        return onboardingCase.getCredentialFingerprint() != null
                && !onboardingCase.getCredentialFingerprint().equals(of(user));
    }
}
