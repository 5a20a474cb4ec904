package io.github.onboardingguard.keycloak.recovery;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.common.util.Time;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;

/**
 * "This wasn't me": the notice's link opens a page asking to confirm (mail scanners that open links
 * must not lock accounts), and the confirmation, posted with the same signed token, treats the
 * recovery as a stand-in's (risk rule {@code recovery_repudiated}: by default suspend and alert). Each
 * link counts once; after a reinstatement the same link changes nothing.
 */
public final class Repudiations {

    static final String TEMPLATE = "onboarding-repudiate.ftl";
    static final String DONE_MESSAGE = "onboardingRepudiatedMessage";
    static final String INVALID_MESSAGE = "onboardingRepudiationInvalid";
    private static final String AUDIT_TYPE = "recovery.repudiated";

    private final KeycloakSession session;
    private final RealmModel realm;

    public Repudiations(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Where the confirmation is posted: {@code /realms/{realm}/onboarding/recovery/repudiate}. */
    static String confirmationAddress(KeycloakSession session, RealmModel realm) {
        return Urls.realmBase(session.getContext().getUri().getBaseUri())
                .path(realm.getName())
                .path("onboarding/recovery/repudiate")
                .build()
                .toString();
    }

    /** The confirmed answer, with the token from the notice's link. */
    public Response confirm(String key) {
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class);
        RepudiationActionToken token = key == null || key.isBlank() || key.length() > 8192
                ? null
                : session.tokens().decode(key, RepudiationActionToken.class);
        String issuer = Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
        if (token == null
                || !RepudiationActionToken.TOKEN_TYPE.equals(token.getType())
                || !issuer.equals(token.getIssuer())
                || token.getExp() == null
                || token.getExp() < Time.currentTime()) {
            return forms.setError(INVALID_MESSAGE).createErrorPage(Response.Status.BAD_REQUEST);
        }
        UserModel user = session.users().getUserById(realm, token.getUserId());
        Optional<OnboardingCaseEntity> onboardingCase = new CaseStore(session)
                .findById(realm.getId(), token.getCaseId())
                .filter(c -> user != null && c.getUserId().equals(user.getId()));
        String nonce = String.valueOf(token.getActionVerificationNonce());
        boolean answeredBefore = user != null
                && new AuditStore(session)
                        .newestContaining(realm.getId(), user.getId(), AUDIT_TYPE, nonce)
                        .isPresent();
        if (onboardingCase.isPresent()
                && !answeredBefore
                && !onboardingCase.get().getStage().blocksLogin()) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("event", "RECOVERY_REPUDIATED");
            evidence.put("link", nonce);
            evidence.put("stage", onboardingCase.get().getStage().name());
            evidence.put("ipAddress", session.getContext().getConnection().getRemoteAddr());
            AuditLog.append(session, realm.getId(), user.getId(), user.getId(), AUDIT_TYPE, evidence);
            RiskMonitor.onRecoveryRepudiated(session, realm, user, onboardingCase.get(), evidence);
        }
        return forms.setSuccess(DONE_MESSAGE).createInfoPage();
    }
}
