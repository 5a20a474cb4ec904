package io.github.onboardingguard.keycloak.invitations;

import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import java.util.Arrays;
import org.keycloak.TokenVerifier.Predicate;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.authentication.actiontoken.TokenUtils;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionTokenHandler;
import org.keycloak.events.Errors;

/**
 * Keycloak's execute-actions link under its own token type, with one more check: the link is the
 * newest invitation of the hire's case. Keycloak's own links may be used again until they expire
 * (none of the standard actions is one-time), so a resent invitation could not retire the old one.
 */
public final class InvitationActionTokenHandler extends ExecuteActionsActionTokenHandler {

    public static final String TOKEN_TYPE = "onboarding-invitation";
    static final String REPLACED_MESSAGE = "onboardingInvitationReplacedMessage";

    @Override
    public String getId() {
        return TOKEN_TYPE;
    }

    @Override
    public Predicate<? super ExecuteActionsActionToken>[] getVerifiers(
            ActionTokenContext<ExecuteActionsActionToken> context) {
        Predicate<? super ExecuteActionsActionToken>[] keycloaks = super.getVerifiers(context);
        Predicate<? super ExecuteActionsActionToken>[] all = Arrays.copyOf(keycloaks, keycloaks.length + 1);
        all[keycloaks.length] = TokenUtils.checkThat(
                (ExecuteActionsActionToken token) -> isNewest(context, token), Errors.EXPIRED_CODE, REPLACED_MESSAGE);
        return all;
    }

    private static boolean isNewest(
            ActionTokenContext<ExecuteActionsActionToken> context, ExecuteActionsActionToken token) {
        String nonce = new CaseStore(context.getSession())
                .findByUser(context.getRealm().getId(), token.getUserId())
                .map(OnboardingCaseEntity::getInvitationNonce)
                .orElse(null);
        return nonce != null && nonce.equals(String.valueOf(token.getActionVerificationNonce()));
    }
}
