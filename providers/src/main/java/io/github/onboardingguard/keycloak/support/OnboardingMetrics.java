package io.github.onboardingguard.keycloak.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The extension's meters, in Keycloak's own Micrometer registry: on the management port's
 * {@code /metrics} when the server runs with {@code --metrics-enabled=true}, no-ops otherwise.
 * Counts of things that change data are taken after commit, so a rolled-back change is not counted.
 */
public final class OnboardingMetrics {

    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
    private static final MultiGauge CASES = MultiGauge.builder("onboarding.cases")
            .description("Onboarding cases by realm and stage, as the expiry task last counted them")
            .register(REGISTRY);
    private static final MultiGauge WEBHOOKS_PENDING = MultiGauge.builder("onboarding.webhooks.pending")
            .description("Webhook messages waiting for delivery, by realm")
            .register(REGISTRY);
    private static final MultiGauge WEBHOOKS_OLDEST = MultiGauge.builder("onboarding.webhooks.oldest.pending.age")
            .baseUnit("seconds")
            .description("Age of the oldest webhook message waiting for delivery, by realm")
            .register(REGISTRY);

    private OnboardingMetrics() {}

    /** A refusal by the gate or the client policy; the request's transaction is rolled back, so counted now. */
    public static void gateRefusal(String realm, String reason, String door) {
        counter(
                        "onboarding.gate.refusals",
                        "Logins and token requests refused by probation",
                        "realm",
                        realm,
                        "reason",
                        reason,
                        "door",
                        door)
                .increment();
    }

    public static void stageChange(KeycloakSession session, String realm, String from, String to) {
        afterCommit(
                session,
                () -> counter(
                                "onboarding.case.stage.changes",
                                "Stage changes of onboarding cases",
                                "realm",
                                realm,
                                "from",
                                from,
                                "to",
                                to)
                        .increment());
    }

    public static void ceremonyResult(KeycloakSession session, String realm, String step, String outcome) {
        afterCommit(
                session,
                () -> counter(
                                "onboarding.ceremonies",
                                "Recorded verification ceremony results",
                                "realm",
                                realm,
                                "step",
                                step,
                                "outcome",
                                outcome)
                        .increment());
    }

    public static void riskSignal(KeycloakSession session, String realm, String rule, String action) {
        afterCommit(
                session,
                () -> counter(
                                "onboarding.risk.signals",
                                "Risk signals raised",
                                "realm",
                                realm,
                                "rule",
                                rule,
                                "action",
                                action)
                        .increment());
    }

    /** @param outcome delivered, retry or dead */
    public static void webhookAttempt(String realm, String outcome) {
        counter(
                        "onboarding.webhooks.attempts",
                        "Webhook delivery attempts by outcome",
                        "realm",
                        realm,
                        "outcome",
                        outcome)
                .increment();
    }

    public static void taskRun(String task, Duration took) {
        Timer.builder("onboarding.task.duration")
                .description("Runs of the extension's scheduled tasks")
                .tag("task", task)
                .register(REGISTRY)
                .record(took);
    }

    /** @param byRealmAndStage realm name → stage → count */
    public static void cases(Map<String, Map<String, Long>> byRealmAndStage) {
        CASES.register(
                byRealmAndStage.entrySet().stream()
                        .flatMap(realm -> realm.getValue().entrySet().stream()
                                .map(stage -> MultiGauge.Row.of(
                                        Tags.of("realm", realm.getKey(), "stage", stage.getKey()), stage.getValue())))
                        .toList(),
                true);
    }

    /** @param pending realm name → {waiting messages, age of the oldest in seconds} */
    public static void webhookBacklog(Map<String, long[]> pending) {
        WEBHOOKS_PENDING.register(rows(pending, 0), true);
        WEBHOOKS_OLDEST.register(rows(pending, 1), true);
    }

    /** The same counts keyed by realm name, as the meters are tagged; realms that are gone are left out. */
    public static <V> Map<String, V> byRealmName(KeycloakSession session, Map<String, V> byRealmId) {
        Map<String, V> byName = new TreeMap<>();
        byRealmId.forEach((realmId, value) -> {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm != null) {
                byName.put(realm.getName(), value);
            }
        });
        return byName;
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, long[]> byRealm, int index) {
        return byRealm.entrySet().stream()
                .<MultiGauge.Row<?>>map(
                        realm -> MultiGauge.Row.of(Tags.of("realm", realm.getKey()), realm.getValue()[index]))
                .toList();
    }

    private static Counter counter(String name, String description, String... tags) {
        String[] values = tags.clone();
        for (int i = 1; i < values.length; i += 2) {
            values[i] = values[i] == null ? "none" : values[i];
        }
        return Counter.builder(name).description(description).tags(values).register(REGISTRY);
    }

    private static void afterCommit(KeycloakSession session, Runnable count) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                count.run();
            }

            @Override
            protected void rollbackImpl() {
                // Not done, not counted.
            }
        });
    }
}
