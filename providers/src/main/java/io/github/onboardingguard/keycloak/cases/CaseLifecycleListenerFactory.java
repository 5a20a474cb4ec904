package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.AuditEvents;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditRetentionTask;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.risk.LoginTracePruneTask;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import io.github.onboardingguard.keycloak.risk.WebhookDeliveryTask;
import io.github.onboardingguard.keycloak.risk.WebhookOutbox;
import io.github.onboardingguard.keycloak.support.ExtensionInfo;
import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.risk.CountryRanges;
import io.github.onboardingguard.onboarding.StageEvent;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Moves an invited hire to PROBATION at their first successful login. Keycloak fires LOGIN only
 * after the required actions from the invitation are done, which is exactly the moment probation
 * starts. Also removes the cases of deleted users and realms.
 */
public final class CaseLifecycleListenerFactory
        implements EventListenerProviderFactory, OnboardingProviderFactory<EventListenerProvider> {

    public static final String PROVIDER_ID = "onboarding-guard";
    /** {@code --spi-events-listener--onboarding-guard--expiry-interval-seconds}. */
    public static final String EXPIRY_INTERVAL_OPTION = "expiryIntervalSeconds";
    static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofMinutes(5);
    static final Duration AUDIT_RETENTION_INTERVAL = Duration.ofHours(1);
    /** {@code --spi-events-listener--onboarding-guard--webhook-interval-seconds}. */
    public static final String WEBHOOK_INTERVAL_OPTION = "webhookIntervalSeconds";
    static final Duration DEFAULT_WEBHOOK_INTERVAL = Duration.ofSeconds(10);
    /** {@code --spi-events-listener--onboarding-guard--country-ranges-file}. */
    public static final String COUNTRY_RANGES_OPTION = "countryRangesFile";

    private static final Logger LOG = Logger.getLogger(CaseLifecycleListenerFactory.class);

    private Duration expiryInterval = DEFAULT_EXPIRY_INTERVAL;
    private Duration webhookInterval = DEFAULT_WEBHOOK_INTERVAL;
    /** Server configuration read once at start, the same on every node; not state. */
    private CountryRanges countryRanges = CountryRanges.none();

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                RealmModel realm = session.realms().getRealm(event.getRealmId());
                UserModel user = onboardingUser(session, realm, event.getUserId());
                if (user == null) {
                    return;
                }
                if (event.getType() == EventType.LOGIN) {
                    startProbation(session, realm, user, event);
                }
                AuditEvents.record(session, realm, event);
                RiskMonitor.onEvent(session, realm, user, event, countryRanges);
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
                String path = event.getResourcePath();
                if (path == null || !path.startsWith("users/")) {
                    return;
                }
                RealmModel realm = session.realms().getRealm(event.getRealmId());
                UserModel user = onboardingUser(session, realm, path.split("/")[1]);
                if (user == null) {
                    return;
                }
                AuditEvents.record(session, realm, user, event, includeRepresentation);
                RiskMonitor.onAdminEvent(session, realm, user, event, includeRepresentation);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The event's user if they could have a case. Everyone else stops here, after a look at the
     * cached user and without a database query: the listener's whole cost for them.
     */
    private static UserModel onboardingUser(KeycloakSession session, RealmModel realm, String userId) {
        if (realm == null || userId == null) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, userId);
        return user != null && OnboardingCases.mayHaveCase(user, RealmPolicies.of(session, realm), realm) ? user : null;
    }

    private static void startProbation(KeycloakSession session, RealmModel realm, UserModel user, Event event) {
        boolean invited = new OnboardingCases(session, realm).findFor(user)
                .map(c -> c.getStage() == Stage.INVITED).orElse(false);
        if (!invited) {
            return;
        }
        // Own transaction: two first logins at once must not fail either login; one of them wins.
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), inner -> {
                RealmModel innerRealm = inner.realms().getRealm(event.getRealmId());
                inner.getContext().setRealm(innerRealm);
                OnboardingCases cases = new OnboardingCases(inner, innerRealm);
                cases.store().findByUser(innerRealm.getId(), event.getUserId())
                        .filter(c -> c.getStage() == Stage.INVITED)
                        .ifPresent(c -> {
                            cases.apply(c, StageEvent.FIRST_LOGIN, OnboardingCases.SYSTEM_ACTOR_LOGIN,
                                    "first login to " + event.getClientId());
                            cases.store().flush();
                        });
            });
        } catch (RuntimeException e) {
            LOG.debugf("First-login transition of user %s lost a race, another login made it: %s", event.getUserId(), e);
        }
        if (event.getSessionId() != null) {
            SessionNotes.updateStage(session.sessions().getUserSession(realm, event.getSessionId()), Stage.PROBATION);
        }
    }

    @Override
    public void init(Config.Scope config) {
        expiryInterval = Duration.ofSeconds(config.getLong(EXPIRY_INTERVAL_OPTION, DEFAULT_EXPIRY_INTERVAL.toSeconds()));
        if (expiryInterval.isNegative() || expiryInterval.isZero()) {
            throw new IllegalArgumentException(EXPIRY_INTERVAL_OPTION + " must be a positive number of seconds");
        }
        webhookInterval = Duration.ofSeconds(config.getLong(WEBHOOK_INTERVAL_OPTION, DEFAULT_WEBHOOK_INTERVAL.toSeconds()));
        if (webhookInterval.isNegative() || webhookInterval.isZero()) {
            throw new IllegalArgumentException(WEBHOOK_INTERVAL_OPTION + " must be a positive number of seconds");
        }
        String rangesFile = config.get(COUNTRY_RANGES_OPTION);
        if (rangesFile != null && !rangesFile.isBlank()) {
            try {
                countryRanges = CountryRanges.parse(Files.readAllLines(Path.of(rangesFile.trim())));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(COUNTRY_RANGES_OPTION + " " + rangesFile + ": " + e.getMessage(), e);
            }
            LOG.infof("Loaded %d address ranges for country rules from %s", countryRanges.size(), rangesFile);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                // Only now do the onboarding tables exist.
                scheduleTasks(factory);
            } else if (event instanceof UserModel.UserRemovedEvent removed) {
                CaseStore store = new CaseStore(removed.getKeycloakSession());
                store.findByUser(removed.getRealm().getId(), removed.getUser().getId()).ifPresent(removedCase -> {
                    // The audit trail outlives the user: it records who was removed, and the case's last stage.
                    AuditLog.append(removed.getKeycloakSession(), removed.getRealm().getId(), "system:user-removed",
                            removed.getUser().getId(), "case.deleted", Map.of("caseId", removedCase.getId(),
                                    "username", removed.getUser().getUsername(), "stage", removedCase.getStage().name()));
                    store.delete(removedCase);
                });
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new CaseStore(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
                new AuditStore(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
                new WebhookOutbox(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            }
        });
    }

    private void scheduleTasks(KeycloakSessionFactory factory) {
        try (KeycloakSession session = factory.create()) {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            long intervalMillis = expiryInterval.toMillis();
            timer.schedule(new ClusterAwareScheduledTaskRunner(factory, new ExpiryTask(), intervalMillis),
                    intervalMillis, ExpiryTask.NAME);
            long webhookMillis = webhookInterval.toMillis();
            timer.schedule(new ClusterAwareScheduledTaskRunner(factory, new WebhookDeliveryTask(), webhookMillis),
                    webhookMillis, WebhookDeliveryTask.NAME);
            long retentionMillis = AUDIT_RETENTION_INTERVAL.toMillis();
            timer.schedule(new ClusterAwareScheduledTaskRunner(factory, new AuditRetentionTask(), retentionMillis),
                    retentionMillis, AuditRetentionTask.NAME);
            timer.schedule(new ClusterAwareScheduledTaskRunner(factory, new LoginTracePruneTask(), retentionMillis),
                    retentionMillis, LoginTracePruneTask.NAME);
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new java.util.LinkedHashMap<>(ExtensionInfo.operationalInfo());
        info.put("expiryIntervalSeconds", Long.toString(expiryInterval.toSeconds()));
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(EXPIRY_INTERVAL_OPTION).type("int")
                .helpText("Seconds between runs of the task that expires overdue onboarding cases.")
                .defaultValue(DEFAULT_EXPIRY_INTERVAL.toSeconds())
                .add()
                .property().name(COUNTRY_RANGES_OPTION).type("string")
                .helpText("File of 'address/prefix,CC' lines giving the country of client addresses, for realms "
                        + "whose policy names no trusted country header.")
                .add()
                .property().name(WEBHOOK_INTERVAL_OPTION).type("int")
                .helpText("Seconds between runs of the task that delivers queued risk-alert webhooks.")
                .defaultValue(DEFAULT_WEBHOOK_INTERVAL.toSeconds())
                .add().build();
    }
}
