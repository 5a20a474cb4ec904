package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.RiskSignalEntity;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.cases.UserSessions;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.BoundedJson;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.risk.EvidenceLines;
import io.github.onboardingguard.risk.Repeats;
import io.github.onboardingguard.risk.RiskAction;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.risk.RiskSettings;
import io.github.onboardingguard.webhooks.WebhookEvents;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/**
 * Carries out a rule's action: records the signal (always), queues the webhook and emails
 * (ALERT and stronger), then steps up, re-verifies or suspends. All in the caller's transaction;
 * nothing leaves the server before it commits: webhooks wait in the outbox, emails are sent
 * after commit by {@link Notifications}.
 */
public final class RiskResponder {

    /** Alert mails about one user and rule: at most one per interval. */
    static final Duration MAIL_INTERVAL = Duration.ofMinutes(15);

    private static final int EVIDENCE_BUDGET = BoundedJson.COLUMN - 1000;
    private static final List<String> SECOND_FACTORS = List.of(
            OTPCredentialModel.TYPE, WebAuthnCredentialModel.TYPE_PASSWORDLESS, WebAuthnCredentialModel.TYPE_TWOFACTOR);

    private final KeycloakSession session;
    private final RealmModel realm;

    public RiskResponder(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public void respond(
            OnboardingCaseEntity onboardingCase,
            UserModel user,
            RiskSettings.Rule rule,
            Map<String, Object> evidence,
            String previousEmail) {
        RiskAction action = rule.rule().applied(rule.action());
        RiskSignals signals = new RiskSignals(session);
        long now = System.currentTimeMillis();
        Map<String, Object> withParameters = new LinkedHashMap<>(evidence);
        withParameters.put("parameters", rule.parameters());
        if (action != rule.action()) {
            withParameters.put("configuredAction", rule.action().name());
        }
        // Shortened once, so the signal, the webhook and the mail carry the same evidence; the rest of
        // the column is for the webhook's envelope (user, case, outcome).
        Map<String, Object> recorded = BoundedJson.shrink(withParameters, EVIDENCE_BUDGET);
        Optional<RiskSignalEntity> recent = signals.latestOfUser(
                realm.getId(),
                user.getId(),
                rule.rule().id(),
                now - rule.repeatWindow().toMillis());
        if (recent.isPresent()
                && StoredJson.parse(recent.get().getEvidence()) instanceof Map<?, ?> earlier
                && StoredJson.parse(BoundedJson.fit(recorded, BoundedJson.COLUMN)) instanceof Map<?, ?> current
                && Repeats.sameEvent(earlier, current)) {
            // The same event again within the window: counted on the signal, no new alert or mail (the next
            // signal after the window carries the count). The account action runs again: it holds even if an
            // admin undid it in the meantime.
            signals.repeat(recent.get(), now);
            if (action.compareTo(RiskAction.ALERT) > 0) {
                act(onboardingCase, user, rule.rule(), action);
            }
            return;
        }
        Optional<RiskSignalEntity> previous =
                signals.latestOfUser(realm.getId(), user.getId(), rule.rule().id(), 0);
        RiskSignalEntity signal = signals.record(
                realm.getId(), onboardingCase.getId(), user.getId(), rule.rule().id(), action.name(), recorded);
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
        previous.filter(p -> p.getRepeats() > 0)
                .ifPresent(p -> data.put(
                        "previous",
                        Map.of(
                                "signalId",
                                p.getId(),
                                "repeats",
                                p.getRepeats(),
                                "lastAt",
                                Instants.iso(p.getLastAt()))));
        WebhookOutbox.publish(session, realm, WebhookEvents.RISK_SIGNAL, data);
        if (mailedRecently(signal, user, rule.rule())) {
            // A hire who repeats a change must not turn the extension into a mail cannon; the signal
            // and the webhook carry every occurrence.
            return;
        }
        Notifications.Mail mail = new Notifications.Mail(
                "onboardingRiskSubject",
                "onboarding-risk-alert.ftl",
                Map.of(
                        "rule",
                        rule.rule().id(),
                        "action",
                        action.name(),
                        "outcome",
                        outcome,
                        "evidence",
                        EvidenceLines.of(recorded)));
        Notifications.toSponsor(session, realm, onboardingCase, mail);
        Notifications.toAddress(session, realm, settings.securityEmail(), user, mail);
        if (rule.rule() == RiskRule.CONTACT_CHANGE) {
            // The old address learns of the change (the real person may not have made it), in fixed words:
            // whoever made the change chose the addresses and the names, so none of it goes out.
            Notifications.toAddress(
                    session,
                    realm,
                    previousEmail,
                    user,
                    new Notifications.Mail(
                            "onboardingContactNoticeSubject", "onboarding-contact-notice.ftl", Map.of()));
        }
    }

    /** Whether an alert of this rule about this user already went out within {@link #MAIL_INTERVAL}. */
    private boolean mailedRecently(RiskSignalEntity current, UserModel user, RiskRule rule) {
        long since = current.getAt() - MAIL_INTERVAL.toMillis();
        return new RiskSignals(session)
                .recentOfUser(realm.getId(), user.getId(), rule.id(), since).stream()
                        .anyMatch(earlier -> !earlier.getId().equals(current.getId()) && alerted(earlier));
    }

    private static boolean alerted(RiskSignalEntity signal) {
        try {
            return RiskAction.valueOf(signal.getAction()).alerts();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String act(OnboardingCaseEntity onboardingCase, UserModel user, RiskRule rule, RiskAction action) {
        OnboardingCases cases = new OnboardingCases(session, realm);
        String reason = "risk rule " + rule.id();
        try {
            switch (action) {
                case STEP_UP -> {
                    boolean hasSecondFactor = SECOND_FACTORS.stream()
                            .anyMatch(type -> user.credentialManager()
                                    .getStoredCredentialsByTypeStream(type)
                                    .findAny()
                                    .isPresent());
                    if (hasSecondFactor) {
                        return "second factor already required";
                    }
                    user.addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
                    return "a second factor is required at the next login";
                }
                case REVERIFY -> {
                    if (onboardingCase.getStage() == Stage.VERIFIED) {
                        cases.apply(onboardingCase, StageEvent.REVERIFY, Actors.RISK, reason);
                        return "sent back to verification";
                    }
                    UserSessions.revokeAll(session, realm, user);
                    return "not verified yet; sessions ended";
                }
                case SUSPEND -> {
                    if (onboardingCase.getStage() == Stage.SUSPENDED) {
                        return "already suspended";
                    }
                    cases.apply(onboardingCase, StageEvent.SUSPEND, Actors.RISK, reason);
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
}
