package io.github.onboardingguard.keycloak.invitations;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.UserSessions;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.JsonBody;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;

/**
 * The hire's invitation: Keycloak's execute-actions email, in the realm's theme and the hire's
 * locale. Its link is valid only while it is the case's newest invitation
 * ({@link InvitationActionTokenHandler}), so a resent invitation retires the one before.
 */
public final class Invitations {

    public static final Set<String> FIELDS = Set.of("send", "actions", "lifespanSeconds");
    public static final Set<String> RESEND_FIELDS = Set.of("actions", "lifespanSeconds");
    static final List<String> DEFAULT_ACTIONS = List.of("UPDATE_PASSWORD", "CONFIGURE_TOTP", "VERIFY_EMAIL");
    static final int DEFAULT_LIFESPAN_SECONDS = (int) TimeUnit.DAYS.toSeconds(3);
    private static final int MAX_LIFESPAN_SECONDS = (int) TimeUnit.DAYS.toSeconds(30);
    private static final Logger LOG = Logger.getLogger(Invitations.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public Invitations(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public record Request(boolean send, List<String> actions, int lifespanSeconds) {}

    public Request parse(JsonBody json, String email) {
        Boolean send = json.optionalBoolean("send");
        boolean sendEmail = send == null || send;
        List<String> actions = json.has("actions") ? json.stringList("actions") : DEFAULT_ACTIONS;
        for (int i = 0; i < actions.size(); i++) {
            RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(actions.get(i));
            if (action == null || !action.isEnabled()) {
                throw ApiError.badRequest(
                        json.field("actions") + "[" + i + "]",
                        "'" + actions.get(i) + "' is not an enabled required action of this realm");
            }
        }
        Integer lifespan = json.optionalInt("lifespanSeconds", 300, MAX_LIFESPAN_SECONDS);
        if (sendEmail) {
            if (email == null) {
                throw ApiError.badRequest(
                        "email",
                        "An email address is needed to send the invitation; "
                                + "give 'email' or set 'invitation.send' to false");
            }
            Map<String, String> smtp = realm.getSmtpConfig();
            if (smtp == null || smtp.get("host") == null || smtp.get("host").isBlank()) {
                throw ApiError.badRequest(
                        "invitation.send",
                        "This realm has no email server configured; "
                                + "configure one under Realm settings > Email or set 'invitation.send' to false");
            }
        }
        return new Request(sendEmail, List.copyOf(actions), lifespan == null ? DEFAULT_LIFESPAN_SECONDS : lifespan);
    }

    /**
     * Queues the email if requested: it leaves once the transaction has committed, so the link never
     * reaches the hire before the case that makes it valid. The new link replaces the case's earlier
     * one at that commit; a mail server that fails is logged and audited ({@code invitation.failed}),
     * and HR can resend.
     */
    public Map<String, Object> send(
            OnboardingCaseEntity onboardingCase, UserModel hire, Request request, String actor) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("actions", request.actions());
        if (!request.send()) {
            status.put("status", "NOT_SENT");
            return status;
        }
        int expiration = Time.currentTime() + request.lifespanSeconds();
        ExecuteActionsActionToken token = new ExecuteActionsActionToken(
                hire.getId(),
                hire.getEmail(),
                expiration,
                request.actions(),
                null,
                Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        token.type(InvitationActionTokenHandler.TOKEN_TYPE);
        UriBuilder link = LoginActionsService.actionTokenProcessor(
                        session.getContext().getUri())
                .queryParam(
                        "key",
                        token.serialize(session, realm, session.getContext().getUri()));
        boolean replaces = onboardingCase.getInvitationNonce() != null;
        long sentAt = System.currentTimeMillis();
        long expiresAt = expiration * 1000L;
        onboardingCase.setInvitation(token.getActionVerificationNonce().toString(), sentAt, expiresAt);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("expiresAt", Instants.iso(expiresAt));
        details.put("actions", request.actions());
        details.put("replacesEarlierLink", replaces);
        AuditLog.append(session, realm.getId(), actor, hire.getId(), "invitation.sent", details);
        // After commit: the link must not reach the hire before the case that makes it valid exists.
        String address = link.build(realm.getName()).toString();
        String realmId = realm.getId();
        String hireId = hire.getId();
        List<String> actions = request.actions();
        long minutes = TimeUnit.SECONDS.toMinutes(request.lifespanSeconds());
        Notifications.afterCommit(
                session,
                "the invitation of user " + hireId,
                mailSession -> deliver(mailSession, realmId, hireId, actions, address, minutes));
        status.put("status", "QUEUED");
        status.put("sentAt", Instants.iso(sentAt));
        status.put("expiresAt", Instants.iso(expiresAt));
        return status;
    }

    /**
     * Before a resend: whoever set the account up through an earlier link (the case is INVITED, so
     * nobody has signed in yet) loses what they set, their passwords, OTP devices and passkeys, and
     * any session; the new invitation's actions are due again.
     */
    public void resetForResend(UserModel hire, Request request, String actor) {
        List<String> removed = new ArrayList<>();
        for (CredentialModel credential :
                hire.credentialManager().getStoredCredentialsStream().toList()) {
            hire.credentialManager().removeStoredCredentialById(credential.getId());
            removed.add(credential.getType());
        }
        UserSessions.revokeAll(session, realm, hire);
        request.actions().forEach(hire::addRequiredAction);
        if (!removed.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("removedCredentials", removed);
            AuditLog.append(session, realm.getId(), actor, hire.getId(), "invitation.account_reset", details);
        }
    }

    private static void deliver(
            KeycloakSession session, String realmId, String hireId, List<String> actions, String link, long minutes) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        UserModel hire = session.users().getUserById(realm, hireId);
        if (hire == null) {
            return;
        }
        try {
            session.getProvider(EmailTemplateProvider.class)
                    .setAttribute(Constants.TEMPLATE_ATTR_REQUIRED_ACTIONS, actions)
                    .setRealm(realm)
                    .setUser(hire)
                    .sendExecuteActions(link, minutes);
        } catch (EmailException e) {
            LOG.warnf(e, "Invitation email to hire %s failed", hire.getUsername());
            AuditLog.append(
                    session,
                    realmId,
                    Actors.MAIL,
                    hireId,
                    "invitation.failed",
                    Map.of("message", "the mail server refused the invitation or could not be reached"));
        }
    }
}
