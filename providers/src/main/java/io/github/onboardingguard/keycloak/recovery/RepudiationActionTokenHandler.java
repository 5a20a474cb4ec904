package io.github.onboardingguard.keycloak.recovery;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.authentication.actiontoken.AbstractActionTokenHandler;
import org.keycloak.authentication.actiontoken.ActionTokenContext;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.messages.Messages;

/**
 * Serves the "this wasn't me" link: the recovery is treated as a stand-in's (risk rule
 * {@code recovery_repudiated}, by default suspending the account and alerting security). The link may be
 * followed again; only the first time changes anything.
 */
public final class RepudiationActionTokenHandler extends AbstractActionTokenHandler<RepudiationActionToken> {

    static final String DONE_MESSAGE = "onboardingRepudiatedMessage";

    public RepudiationActionTokenHandler() {
        super(
                RepudiationActionToken.TOKEN_TYPE,
                RepudiationActionToken.class,
                Messages.INVALID_CODE,
                EventType.EXECUTE_ACTION_TOKEN,
                Errors.INVALID_TOKEN);
    }

    @Override
    public boolean canUseTokenRepeatedly(
            RepudiationActionToken token, ActionTokenContext<RepudiationActionToken> context) {
        return true;
    }

    @Override
    public Response handleToken(RepudiationActionToken token, ActionTokenContext<RepudiationActionToken> context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getAuthenticationSession().getAuthenticatedUser();
        Optional<OnboardingCaseEntity> onboardingCase = new CaseStore(session)
                .findById(realm.getId(), token.getCaseId())
                .filter(c -> user != null && c.getUserId().equals(user.getId()));
        if (onboardingCase.isPresent() && !onboardingCase.get().getStage().blocksLogin()) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("event", "RECOVERY_REPUDIATED");
            evidence.put("stage", onboardingCase.get().getStage().name());
            evidence.put("ipAddress", session.getContext().getConnection().getRemoteAddr());
            AuditLog.append(session, realm.getId(), user.getId(), user.getId(), "recovery.repudiated", evidence);
            RiskMonitor.onRecoveryRepudiated(session, realm, user, onboardingCase.get(), evidence);
        }
        return session.getProvider(LoginFormsProvider.class)
                .setAuthenticationSession(context.getAuthenticationSession())
                .setSuccess(DONE_MESSAGE)
                .createInfoPage();
    }
}
