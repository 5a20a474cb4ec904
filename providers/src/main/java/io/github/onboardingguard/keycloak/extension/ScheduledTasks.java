package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.audit.AuditRetentionTask;
import io.github.onboardingguard.keycloak.cases.ExpiryTask;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.policy.WebhookServerRules;
import io.github.onboardingguard.keycloak.risk.LoginTracePruneTask;
import io.github.onboardingguard.keycloak.webhooks.WebhookDeliveryTask;
import java.time.Duration;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

/** The extension's background work. Each task runs on one cluster node at a time. */
final class ScheduledTasks {

    static final Duration HOURLY = Duration.ofHours(1);

    private record Scheduled(ScheduledTask task, Duration interval) {}

    private ScheduledTasks() {}

    /** Changes the admin API reports no event for (client policies) are found by this run. */
    static final Duration HOLE_CHECK = Duration.ofMinutes(10);

    static List<String> names(ListenerSettings settings, HoleWatch holeWatch) {
        return all(settings, holeWatch).stream()
                .map(s -> s.task().getTaskName())
                .toList();
    }

    private static List<Scheduled> all(ListenerSettings settings, HoleWatch holeWatch) {
        return List.of(
                new Scheduled(new ExpiryTask(), settings.expiryInterval()),
                new Scheduled(
                        new WebhookDeliveryTask(WebhookServerRules.of(settings.server())), settings.webhookInterval()),
                new Scheduled(new AuditRetentionTask(RealmPolicies::auditRetentionDays), HOURLY),
                new Scheduled(new LoginTracePruneTask(), HOURLY),
                new Scheduled(holeWatch.task(), HOLE_CHECK));
    }

    /** Call once the onboarding tables exist, i.e. after Keycloak's database migration. */
    static void scheduleAll(KeycloakSessionFactory factory, ListenerSettings settings, HoleWatch holeWatch) {
        try (KeycloakSession session = factory.create()) {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            for (Scheduled scheduled : all(settings, holeWatch)) {
                long millis = scheduled.interval().toMillis();
                timer.schedule(
                        new ClusterAwareScheduledTaskRunner(factory, scheduled.task(), millis),
                        millis,
                        scheduled.task().getTaskName());
            }
        }
    }
}
