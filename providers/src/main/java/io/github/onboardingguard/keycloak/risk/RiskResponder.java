package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.SponsorNotifications;
import io.github.onboardingguard.keycloak.cases.UserSessions;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.risk.RiskAction;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.risk.RiskSettings;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.storage.adapter.InMemoryUserAdapter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a rule's action: records the signal (always), queues the webhook and emails
 * (ALERT and stronger), then steps up, re-verifies or suspends. All in the caller's transaction,
 * with no network I/O: emails go through Keycloak's sender, webhooks through the outbox.
 */
public final class RiskResponder {

    static final String SYSTEM_ACTOR = "system:risk";
    private static final Logger LOG = Logger.getLogger(RiskResponder.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public RiskResponder(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public void respond(OnboardingCaseEntity onboardingCase, UserModel user, RiskSettings.Rule rule,
                        Map<String, Object> evidence, String previousEmail) {
        RiskAction action = rule.action();
        Map<String, Object> recorded = new LinkedHashMap<>(evidence);
        recorded.put("parameters", rule.parameters());
        RiskSignalEntity signal = new RiskSignals(session).record(realm.getId(), onboardingCase.getId(), user.getId(),
                rule.rule().id(), action.name(), recorded);
        if (!action.alerts()) {
            return;
        }
        RiskSettings settings = RealmPolicies.of(session, realm).risk();
        String outcome = act(onboardingCase, user, rule.rule(), action);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("realm", realm.getName());
        data.put("signalId", signal.getId());
        data.put("rule", rule.rule().id());
        data.put("action", action.name());
        data.put("outcome", outcome);
        data.put("user", Map.of("id", user.getId(), "username", user.getUsername()));
        data.put("caseId", onboardingCase.getId());
        data.put("stage", onboardingCase.getStage().name());
        data.put("evidence", recorded);
        if (!settings.webhookUrl().isEmpty()) {
            new WebhookOutbox(session).enqueue(realm.getId(), "onboarding.risk_signal", data);
        }
        Map<String, Object> mail = new HashMap<>();
        mail.put("rule", rule.rule().id());
        mail.put("action", action.name());
        mail.put("outcome", outcome);
        mail.put("evidence", recorded.toString());
        SponsorNotifications.send(session, realm, onboardingCase, "onboardingRiskSubject", "onboarding-risk-alert.ftl", mail);
        if (!settings.securityEmail().isEmpty()) {
            sendTo(settings.securityEmail(), user, mail);
        }
        if (rule.rule() == RiskRule.CONTACT_CHANGE && previousEmail != null && !previousEmail.isBlank()) {
            // The old address learns of the change: the real person may not have made it.
            sendTo(previousEmail, user, mail);
        }
    }

    private String act(OnboardingCaseEntity onboardingCase, UserModel user, RiskRule rule, RiskAction action) {
        OnboardingCases cases = new OnboardingCases(session, realm);
        String reason = "risk rule " + rule.id();
        try {
            switch (action) {
                case STEP_UP -> {
                    boolean hasSecondFactor = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isPresent()
                            || user.credentialManager().getStoredCredentialsByTypeStream("webauthn-passwordless").findAny().isPresent()
                            || user.credentialManager().getStoredCredentialsByTypeStream("webauthn").findAny().isPresent();
                    if (hasSecondFactor) {
                        return "second factor already required";
                    }
                    user.addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
                    return "a second factor is required at the next login";
                }
                case REVERIFY -> {
                    if (onboardingCase.getStage() == Stage.VERIFIED) {
                        cases.apply(onboardingCase, StageEvent.REVERIFY, SYSTEM_ACTOR, reason);
                        return "sent back to verification";
                    }
                    UserSessions.revokeAll(session, realm, user);
                    return "not verified yet; sessions ended";
                }
                case SUSPEND -> {
                    if (onboardingCase.getStage() == Stage.SUSPENDED) {
                        return "already suspended";
                    }
                    cases.apply(onboardingCase, StageEvent.SUSPEND, SYSTEM_ACTOR, reason);
                    return "suspended";
                }
                default -> {
                    return "alerted";
                }
            }
        } catch (IllegalTransitionException e) {
            return "no stage change: " + e.getMessage();
        }
    }

    private void sendTo(String address, UserModel hire, Map<String, Object> attributes) {
        InMemoryUserAdapter recipient = new InMemoryUserAdapter(session, realm, "risk-alert-recipient");
        recipient.setEmail(address);
        recipient.setEnabled(true);
        Map<String, Object> all = new HashMap<>(attributes);
        all.put("hireName", SponsorNotifications.displayName(hire));
        all.put("hireUsername", hire.getUsername());
        all.put(Constants.IGNORE_ACCEPT_LANGUAGE_HEADER, true);
        try {
            session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(recipient)
                    .send("onboardingRiskSubject", List.of(SponsorNotifications.displayName(hire)), "onboarding-risk-alert.ftl", all);
        } catch (EmailException | RuntimeException e) {
            LOG.warnf(e, "Could not send risk alert for %s to %s", hire.getUsername(), address);
        }
    }
}
