package io.github.onboardingguard.keycloak.invitations;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.Refusals;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.onboarding.Stage;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.TokenVerifier.Predicate;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.authentication.actiontoken.TokenUtils;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionTokenHandler;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's execute-actions link under its own token type, with one more check: the link is the
 * newest invitation of the hire's case, who has not signed in yet (after that, access is account
 * recovery's business, behind the gate). Keycloak's own links may be used again until they expire
 * (none of the standard actions is one-time), so a resent invitation could not retire the old one.
 */
public final class InvitationActionTokenHandler extends ExecuteActionsActionTokenHandler {

    public static final String TOKEN_TYPE = "onboarding-invitation";
    static final String REPLACED_MESSAGE = "onboardingInvitationReplacedMessage";
    private static final String NONCE_NOTE = "onboarding.invitation.nonce";

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

    /** Remembers which invitation the sign-in came through, for {@link #refuseIfReplaced} at each step after. */
    @Override
    public Response handleToken(
            ExecuteActionsActionToken token, ActionTokenContext<ExecuteActionsActionToken> context) {
        context.getAuthenticationSession().setAuthNote(NONCE_NOTE, String.valueOf(token.getActionVerificationNonce()));
        return super.handleToken(token, context);
    }

    /**
     * Refuses a step (a password, an OTP device, the email confirmation) taken in a sign-in that came
     * through an invitation HR has since replaced: the link was checked when it was opened, and
     * whoever opened it before the resend must not finish setting up the account after it.
     */
    public static void refuseIfReplaced(KeycloakSession session, RealmModel realm, String userId, String step) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        String nonce = authSession == null ? null : authSession.getAuthNote(NONCE_NOTE);
        if (nonce == null || userId == null || realm == null) {
            return;
        }
        try {
            refuseIfNotNewest(session, realm, userId, step, nonce);
        } catch (RuntimeException e) {
            // Keycloak swallows a listener's exception: without this, a failed check would let the step stand.
            session.getTransactionManager().setRollbackOnly();
            throw e;
        }
    }

    private static void refuseIfNotNewest(
            KeycloakSession session, RealmModel realm, String userId, String step, String nonce) {
        String newest = new CaseStore(session)
                .findByUser(realm.getId(), userId)
                .filter(onboardingCase -> onboardingCase.getStage() == Stage.INVITED)
                .map(OnboardingCaseEntity::getInvitationNonce)
                .orElse(null);
        if (nonce.equals(newest)) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("step", step);
        details.put("reason", newest == null ? "the hire has signed in or the case is closed" : "a newer invitation");
        AuditLog.appendApart(session, realm.getId(), userId, userId, "invitation.replaced_link_refused", details);
        Refusals.atCommit(
                session,
                ApiError.forbidden(
                        "invitation_replaced",
                        "This invitation link has been replaced by a newer one; use the link in the most recent "
                                + "invitation email"));
    }

    private static boolean isNewest(
            ActionTokenContext<ExecuteActionsActionToken> context, ExecuteActionsActionToken token) {
        String nonce = new CaseStore(context.getSession())
                .findByUser(context.getRealm().getId(), token.getUserId())
                .filter(onboardingCase -> onboardingCase.getStage() == Stage.INVITED)
                .map(OnboardingCaseEntity::getInvitationNonce)
                .orElse(null);
        return nonce != null && nonce.equals(String.valueOf(token.getActionVerificationNonce()));
    }
}
