package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.enrollment.ProvisioningPath;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.BoundPasskey;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.enrollment.Enrollment;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.AbstractIdentityProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/** Lets a hire who is not verified yet log in only to the policy's probation clients. */
final class OnboardingGateAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(OnboardingGateAuthenticator.class);

    static final String TEMPLATE = "onboarding-refused.ftl";
    private static final java.time.Duration CREDENTIAL_BEFORE_RECOVERY = java.time.Duration.ofMinutes(1);
    /** Keycloak's detail on a passkey sign-in: the WebAuthn credential id, base64url. */
    private static final String USED_PASSKEY_DETAIL = "public_key_credential_id";

    static final String ERROR_NOT_YET = OnboardingGateAuthenticatorFactory.ERROR_CLIENT_NOT_ALLOWED;
    static final String ERROR_CLOSED = OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED;
    static final String ERROR_POLICY = OnboardingGateAuthenticatorFactory.ERROR_POLICY_INVALID;

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            // Placed before the user is known: nothing to decide yet.
            context.attempted();
            return;
        }
        if (!enrollIfJustCreatedByBroker(context, user)) {
            return;
        }
        if (isResetFlow(context)) {
            context.getAuthenticationSession().setAuthNote(OnboardingGateAuthenticatorFactory.RESET_FLOW_NOTE, "true");
        }
        Optional<ProbationDecision> decision =
                ProbationDecision.forUser(context.getSession(), context.getRealm(), user);
        if (decision.isPresent() && decision.get().stage() == Stage.RECOVERY) {
            if (provedWithBoundPasskey(context, user)) {
                decision = ProbationDecision.forUser(context.getSession(), context.getRealm(), user);
            } else if (!isDirectGrant(context) && statusPageEnabled(context.getRealm())) {
                // The status page shows what comes next and never lets a sign-in in recovery finish.
                context.getAuthenticationSession()
                        .addRequiredAction(OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION);
                SessionNotes.write(
                        context.getAuthenticationSession(),
                        Stage.RECOVERY,
                        decision.get().deadline());
                context.success();
                return;
            }
        }
        if (decision.isEmpty()) {
            context.success();
            return;
        }
        Stage stage = decision.get().stage();
        ClientModel client = context.getAuthenticationSession().getClient();
        context.getEvent().detail("onboarding_stage", stage.name());
        switch (decision.get().accessTo(context.getSession(), context.getRealm(), client)) {
            case CLOSED -> refuse(context, ERROR_CLOSED, "onboardingAccessClosed", stage, client);
            case POLICY_INVALID -> refuse(context, ERROR_POLICY, "onboardingPolicyInvalid", stage, client);
            case NOT_YET -> refuse(context, ERROR_NOT_YET, "onboardingAccessNotYet", stage, client);
            case OPEN -> {
                SessionNotes.write(
                        context.getAuthenticationSession(),
                        stage,
                        decision.get().deadline());
                SessionNotes.writeLoginMethod(context.getAuthenticationSession(), loginMethod(context));
                context.success();
            }
        }
    }

    /**
     * Keycloak's first broker login flow has just created the user, and announces it (REGISTER)
     * only in the next request: the enrollment rules decide here, in the creating transaction, so
     * an abandoned first login cannot leave an account without its case. Rules that need groups an
     * identity provider mapper adds are decided again at REGISTER, once the mappers have run.
     */
    private static boolean enrollIfJustCreatedByBroker(AuthenticationFlowContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // Still inside the first broker login flow that created the account (its note stays for the next request).
        boolean created = "true".equals(authSession.getAuthNote(AbstractIdentityProvider.BROKER_REGISTERED_NEW_USER))
                && authSession.getAuthNote(AbstractIdpAuthenticator.FIRST_BROKER_LOGIN_SUCCESS) == null;
        if (!created && user.getFirstAttribute(Enrollment.PENDING_ATTRIBUTE) == null) {
            return true;
        }
        try {
            Enrollment enrollment = new Enrollment(context.getSession(), context.getRealm());
            if (created) {
                SerializedBrokeredIdentityContext brokered =
                        SerializedBrokeredIdentityContext.readFromAuthenticationSession(
                                authSession, AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE);
                enrollment.onCreated(
                        user,
                        ProvisioningPath.IDENTITY_PROVIDER,
                        brokered == null ? null : brokered.getIdentityProviderId(),
                        Actors.ENROLLMENT);
            } else {
                // An account the admin API or SCIM created logs in: what it holds now decides, for good. One whose
                // first login through an identity provider was abandoned stays open to the mapper's group.
                boolean fromProvider = enrollment
                        .pendingPath(user)
                        .map(path -> path == ProvisioningPath.IDENTITY_PROVIDER)
                        .orElse(true);
                enrollment.reconsiderPending(user, !fromProvider);
            }
            return true;
        } catch (RuntimeException e) {
            // Keycloak would keep the account it just created: an account a rule covers never exists without its case.
            LOG.errorf(
                    e,
                    "Realm %s: could not enroll new user %s; the first login is refused and the account not kept",
                    context.getRealm().getName(),
                    user.getUsername());
            context.getSession().getTransactionManager().setRollbackOnly();
            context.failure(AuthenticationFlowError.INTERNAL_ERROR);
            return false;
        }
    }

    /**
     * A verified hire in recovery who signs in with the passkey bound at verification has proved it is
     * them: the recovery ends here, and what was set up during it is removed.
     */
    private static boolean provedWithBoundPasskey(AuthenticationFlowContext context, UserModel user) {
        if (!SessionNotes.LOGIN_PASSKEY.equals(loginMethod(context))) {
            return false;
        }
        Map<String, String> details = context.getEvent().getEvent().getDetails();
        String usedPasskey = details == null ? null : details.get(USED_PASSKEY_DETAIL);
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        Optional<OnboardingCaseEntity> recovering = new CaseLookup(session, realm)
                .caseOf(user)
                .filter(c -> c.getStage() == Stage.RECOVERY)
                .filter(c -> BoundPasskey.signedInWith(user, c, usedPasskey));
        recovering.ifPresent(c -> {
            long since = c.getHistory().stream()
                            .filter(change -> change.getToStage() == Stage.RECOVERY)
                            .mapToLong(change -> change.getAt())
                            .max()
                            .orElse(Long.MAX_VALUE)
                    // The credential that started the recovery was stored a moment before the event said so.
                    - CREDENTIAL_BEFORE_RECOVERY.toMillis();
            new OnboardingCases(session, realm)
                    .apply(c, StageEvent.RECOVERED, user.getId(), "signed in with the passkey bound at verification");
            removeCredentialsSince(session, realm, user, c, since);
        });
        return recovering.isPresent();
    }

    /**
     * What was set up while the account was in recovery may be the stand-in's (a reset password, their own
     * passkey): the bound passkey proves the person, not those. They go; the person sets a new password from
     * the account console if they want one.
     */
    private static void removeCredentialsSince(
            KeycloakSession session, RealmModel realm, UserModel user, OnboardingCaseEntity recovered, long since) {
        List<String> removed = user
                .credentialManager()
                .getStoredCredentialsStream()
                .filter(credential -> credential.getCreatedDate() != null && credential.getCreatedDate() >= since)
                .filter(credential -> !credential.getId().equals(recovered.getVerifiedCredentialId()))
                .toList()
                .stream()
                .map(credential -> {
                    user.credentialManager().removeStoredCredentialById(credential.getId());
                    return credential.getType();
                })
                .toList();
        if (!removed.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("caseId", recovered.getId());
            details.put("removedTypes", removed);
            AuditLog.append(
                    session, realm.getId(), user.getId(), user.getId(), "recovery.credentials_removed", details);
        }
    }

    private static boolean statusPageEnabled(RealmModel realm) {
        RequiredActionProviderModel action =
                realm.getRequiredActionProviderByAlias(OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION);
        return action != null && action.isEnabled();
    }

    private static boolean isResetFlow(AuthenticationFlowContext context) {
        AuthenticationFlowModel reset = context.getRealm().getResetCredentialsFlow();
        return reset != null
                && context.getTopLevelFlow() != null
                && context.getTopLevelFlow().getId().equals(reset.getId());
    }

    /** How this login proved who it is, for the risk rule on logins without the verified passkey. */
    private static String loginMethod(AuthenticationFlowContext context) {
        boolean passkey = false;
        boolean cookie = false;
        for (Map.Entry<String, AuthenticationSessionModel.ExecutionStatus> status :
                context.getAuthenticationSession().getExecutionStatus().entrySet()) {
            if (status.getValue() != AuthenticationSessionModel.ExecutionStatus.SUCCESS) {
                continue;
            }
            AuthenticationExecutionModel execution = context.getRealm().getAuthenticationExecutionById(status.getKey());
            String authenticator = execution == null ? null : execution.getAuthenticator();
            if (authenticator != null && authenticator.startsWith("webauthn-authenticator")) {
                passkey = true;
            } else if ("auth-cookie".equals(authenticator)) {
                cookie = true;
            }
        }
        return passkey ? SessionNotes.LOGIN_PASSKEY : cookie ? SessionNotes.LOGIN_SSO : SessionNotes.LOGIN_OTHER;
    }

    private void refuse(
            AuthenticationFlowContext context, String error, String messageKey, Stage stage, ClientModel client) {
        // Recorded as a LOGIN_ERROR with our own error code. A challenge rather than failure() ends the
        // attempt: failure() would count as a wrong password towards brute-force lockout.
        // Always a LOGIN_ERROR, whichever flow the gate sits in (reset credentials, post broker login, ...),
        // so the audit trail and the risk rules see every refusal the same way; the flow's own event type is a detail.
        EventBuilder event = context.getEvent().clone();
        EventType door = event.getEvent().getType();
        OnboardingMetrics.gateRefusal(context.getRealm().getName(), error, door == null ? null : door.name());
        event.event(EventType.LOGIN)
                .user(context.getUser())
                .detail("onboarding_client", client.getClientId())
                .detail("onboarding_door", door == null ? null : door.name())
                .error(error);
        Response response = isDirectGrant(context)
                ? Response.status(Response.Status.BAD_REQUEST)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("error", "invalid_grant", "error_description", directGrantText(error)))
                        .build()
                : refusalPage(context, messageKey, stage, client);
        context.forceChallenge(response);
    }

    private static Response refusalPage(
            AuthenticationFlowContext context, String messageKey, Stage stage, ClientModel client) {
        String clientName =
                client.getName() != null && !client.getName().isBlank() ? client.getName() : client.getClientId();
        if (hasTemplate(context)) {
            return context.form()
                    .setAttribute("onboardingStage", stage.name())
                    .setAttribute("onboardingClient", clientName)
                    .setAttribute("onboardingMessage", messageKey)
                    .setStatus(Response.Status.FORBIDDEN)
                    .createForm(TEMPLATE);
        }
        // The realm uses a login theme without our template: Keycloak's error page still explains.
        return context.form().setError(messageKey, clientName).createErrorPage(Response.Status.FORBIDDEN);
    }

    private static boolean hasTemplate(AuthenticationFlowContext context) {
        try {
            return context.getSession()
                            .theme()
                            .getTheme(org.keycloak.theme.Theme.Type.LOGIN)
                            .getTemplate(TEMPLATE)
                    != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String directGrantText(String error) {
        return switch (error) {
            case ERROR_CLOSED -> "Onboarding access is closed for this account";
            case ERROR_POLICY ->
                "The realm's onboarding policy is invalid; new hires cannot sign in until an admin fixes it";
            default -> "Access to this client opens after identity verification";
        };
    }

    private static boolean isDirectGrant(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        String override = context.getAuthenticationSession()
                .getClient()
                .getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING);
        String directGrantFlowId = override != null
                ? override
                : realm.getDirectGrantFlow() == null
                        ? null
                        : realm.getDirectGrantFlow().getId();
        return context.getTopLevelFlow() != null
                && context.getTopLevelFlow().getId().equals(directGrantFlowId);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        context.success();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
