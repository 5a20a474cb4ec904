package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditLogStream;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.CaseRemovals;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.enrollment.Enrollment;
import io.github.onboardingguard.keycloak.policy.PolicySaved;
import io.github.onboardingguard.keycloak.risk.LoginTraces;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import io.github.onboardingguard.keycloak.support.ExtensionInfo;
import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.keycloak.support.SupportedKeycloak;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.keycloak.verification.CeremonyStore;
import io.github.onboardingguard.keycloak.webhooks.PolicyReceiverMigration;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.onboarding.Reverification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.Version;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderEvent;

/**
 * The extension's composition root, which nothing else imports: the {@code onboarding-guard} event
 * listener, its server options, the scheduled tasks, the hold on grants to unverified hires, and
 * the clean-up when users and realms go.
 */
public final class OnboardingGuardListenerFactory
        implements EventListenerProviderFactory,
                OnboardingProviderFactory<EventListenerProvider>,
                ServerOptions.Source {

    public static final String PROVIDER_ID = ServerOptions.LISTENER_ID;
    private static final Logger LOG = Logger.getLogger(OnboardingGuardListenerFactory.class);
    /** Who moves an earlier version's settings at start or import. */
    static final String UPGRADE = Actors.PREFIX + "upgrade";

    private ListenerSettings settings = ListenerSettings.DEFAULTS;
    private final HoleWatch holeWatch = new HoleWatch();

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new OnboardingGuardListener(session, settings, holeWatch);
    }

    @Override
    public void init(Config.Scope config) {
        SupportedKeycloak.require(Version.VERSION);
        settings = ListenerSettings.read(config);
        if (settings.countryRanges().size() > 0) {
            LOG.infof(
                    "Loaded %d address ranges for country rules from %s",
                    settings.countryRanges().size(), config.get(ListenerSettings.COUNTRY_RANGES_OPTION));
        }
    }

    /** The rest of the extension reads the operator's options here (see {@link ServerOptions#of}). */
    @Override
    public ServerOptions serverOptions() {
        return settings.server();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> onProviderEvent(factory, event));
    }

    private void onProviderEvent(KeycloakSessionFactory factory, ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            // Only now do the onboarding tables exist.
            // Before the delivery task runs: alerts queued for the policy's former receiver move first.
            moveFormerPolicyReceivers(factory);
            ScheduledTasks.scheduleAll(factory, settings, holeWatch);
            warnAboutHoles(factory);
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            // An imported realm file of an earlier version may still name the policy's own receiver.
            try {
                moveFormerPolicyReceiver(created.getKeycloakSession(), created.getCreatedRealm());
            } catch (RuntimeException e) {
                // The import itself must not fail for it; the next start tries again.
                LOG.warnf(
                        e,
                        "Realm %s: could not move the onboarding policy's alert webhook into a webhook subscription",
                        created.getCreatedRealm().getName());
            }
        } else if (event instanceof UserModel.UserRemovedEvent removed) {
            new CaseRemovals(removed.getKeycloakSession(), removed.getRealm()).deleteCaseOf(removed.getUser());
        } else if (event instanceof RoleModel.RoleGrantedEvent granted) {
            // Every path that maps a role ends here, in the granting transaction.
            // The appointment check comes first: a refused appointment must not leave a held grant behind.
            KeycloakSession session = granted.getKeycloakSession();
            Appointments.onRoleGranted(session, granted.getRealm(), granted.getUser(), granted.getRole());
            new HeldGrants(session, granted.getRealm())
                    .holdIfRestricted(granted.getUser(), granted.getRole())
                    .ifPresent(held -> RiskMonitor.onHeldGrant(session, granted.getRealm(), granted.getUser(), held));
        } else if (event instanceof RoleModel.RoleRevokedEvent revoked) {
            KeycloakSession session = revoked.getKeycloakSession();
            new HeldGrants(session, revoked.getRealm())
                    .keepProbationaryRole(revoked.getUser(), revoked.getRole())
                    .ifPresent(c -> RiskMonitor.onTampering(
                            session, revoked.getRealm(), revoked.getUser(), c, "probationary role"));
        } else if (event instanceof GroupModel.GroupMemberJoinEvent joined) {
            KeycloakSession session = joined.getKeycloakSession();
            Appointments.onGroupJoined(session, joined.getRealm(), joined.getUser(), joined.getGroup());
            // An identity provider's mapper, or a later sync, puts the account where a rule wanted it.
            new Enrollment(session, joined.getRealm()).reconsiderPending(joined.getUser(), false);
            new HeldGrants(session, joined.getRealm())
                    .holdIfRestricted(joined.getUser(), joined.getGroup())
                    .ifPresent(held -> RiskMonitor.onHeldGrant(session, joined.getRealm(), joined.getUser(), held));
        } else if (event instanceof OrganizationModel.OrganizationMemberJoinEvent joined) {
            // Keycloak's membership events carry their session in getSession(), not getKeycloakSession().
            KeycloakSession session = joined.getSession();
            RealmModel realm = session == null ? null : session.getContext().getRealm();
            if (realm != null) {
                // An admin, or an organization's invitation, made the account a member a rule waits for.
                new Enrollment(session, realm).reconsiderPending(joined.getUser(), false);
            }
        } else if (event instanceof PolicySaved saved
                && saved.changedKeys().stream()
                        .anyMatch(key -> key.equals(Reverification.EVERY_DAYS) || key.equals(Reverification.GROUPS))) {
            // The cadence changed: every verified hire's next verification is worked out again by the task.
            new CaseStore(saved.session())
                    .unscheduleReverifications(saved.realm().getId());
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            deleteRealm(removed.getKeycloakSession(), removed.getRealm().getId());
        }
    }

    /** Each realm in a transaction of its own: one whose policy cannot be saved does not hold up the others. */
    private static void moveFormerPolicyReceivers(KeycloakSessionFactory factory) {
        List<String> realmIds = new ArrayList<>();
        KeycloakModelUtils.runJobInTransaction(
                factory, session -> session.realms().getRealmsStream().forEach(realm -> realmIds.add(realm.getId())));
        for (String realmId : realmIds) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, session -> {
                    RealmModel realm = session.realms().getRealm(realmId);
                    if (realm != null) {
                        session.getContext().setRealm(realm);
                        moveFormerPolicyReceiver(session, realm);
                    }
                });
            } catch (RuntimeException e) {
                if (stillPending(factory, realmId)) {
                    LOG.warnf(
                            e,
                            "Realm %s: could not move the onboarding policy's alert webhook into a webhook subscription; "
                                    + "its alerts wait until it moves (the next start tries again)",
                            realmId);
                } else {
                    LOG.debugf("Realm %s: another node moved the onboarding policy's alert webhook first", realmId);
                }
            }
        }
    }

    private static boolean stillPending(KeycloakSessionFactory factory, String realmId) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            return realm != null && PolicyReceiverMigration.pending(realm);
        });
    }

    static void moveFormerPolicyReceiver(KeycloakSession session, RealmModel realm) {
        moveFormerPolicyReceiver(session, realm, UPGRADE);
    }

    /** @param actor the admin whose save named the former receiver, or {@link #UPGRADE} */
    static void moveFormerPolicyReceiver(KeycloakSession session, RealmModel realm, String actor) {
        PolicyReceiverMigration.migrate(session, realm).ifPresent(outcome -> {
            if (outcome instanceof PolicyReceiverMigration.Moved moved) {
                LOG.infof(
                        "Realm %s: the onboarding policy's alert webhook is now webhook subscription %s (%d queued alerts moved)",
                        realm.getName(), moved.subscriptionId(), moved.queuedAlerts());
                AuditLog.append(
                        session,
                        realm.getId(),
                        actor,
                        null,
                        "webhook.receiver_moved",
                        Map.of(
                                "subscriptionId",
                                moved.subscriptionId(),
                                "url",
                                moved.url(),
                                "queuedAlerts",
                                moved.queuedAlerts()));
            } else if (outcome instanceof PolicyReceiverMigration.Dropped dropped) {
                LOG.warnf(
                        "Realm %s: the onboarding policy's alert webhook was not a valid receiver and is dropped (%s); "
                                + "its queued alerts are dead-lettered. Add a webhook subscription for risk alerts.",
                        realm.getName(), String.join("; ", dropped.problems()));
                AuditLog.append(
                        session,
                        realm.getId(),
                        actor,
                        null,
                        "webhook.receiver_dropped",
                        Map.of("problems", dropped.problems()));
            }
        });
    }

    /** Every realm that uses the extension, checked once at start: a hole is an admin's to close, so it is a WARN. */
    private void warnAboutHoles(KeycloakSessionFactory factory) {
        try {
            holeWatch.checkAll(factory);
        } catch (RuntimeException e) {
            // A check that cannot run must not keep Keycloak from starting; it must not stay silent either.
            LOG.warn(
                    "Could not check the realms for onboarding holes; run GET /admin/realms/{realm}/onboarding/health",
                    e);
        }
    }

    /** Each capability removes its own rows; the realm's audit trail goes with the realm. */
    private static void deleteRealm(KeycloakSession session, String realmId) {
        new CeremonyStore(session).deleteRealm(realmId);
        new RiskSignals(session).deleteRealm(realmId);
        new CaseStore(session).deleteRealm(realmId);
        new AuditStore(session).deleteRealm(realmId);
        new WebhookOutbox(session).deleteRealm(realmId);
        new LoginTraces(session).deleteRealm(realmId);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>(ExtensionInfo.operationalInfo());
        info.put(
                "expiryIntervalSeconds", Long.toString(settings.expiryInterval().toSeconds()));
        info.put(
                "webhookIntervalSeconds",
                Long.toString(settings.webhookInterval().toSeconds()));
        info.put("scheduledTasks", String.join(", ", ScheduledTasks.names(settings, holeWatch)));
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                .name(ListenerSettings.EXPIRY_INTERVAL_OPTION)
                .type("int")
                .helpText("Seconds between runs of the task that expires overdue onboarding cases.")
                .defaultValue(ListenerSettings.DEFAULT_EXPIRY_INTERVAL.toSeconds())
                .add()
                .property()
                .name(ListenerSettings.COUNTRY_RANGES_OPTION)
                .type("string")
                .helpText("File of 'address/prefix,CC' lines giving the country of client addresses, for realms "
                        + "whose policy names no trusted country header.")
                .add()
                .property()
                .name(ListenerSettings.WEBHOOK_INTERVAL_OPTION)
                .type("int")
                .helpText("Seconds between runs of the task that delivers queued risk-alert webhooks.")
                .defaultValue(ListenerSettings.DEFAULT_WEBHOOK_INTERVAL.toSeconds())
                .add()
                .property()
                .name(ListenerSettings.AUDIT_MIN_RETENTION_OPTION)
                .type("int")
                .helpText(
                        "Fewest days of audit trail any realm keeps: a shorter retention in a realm's policy is refused "
                                + "when saved and raised to this when applied. 0 lets realms choose freely.")
                .defaultValue(ServerOptions.DEFAULT_MINIMUM_AUDIT_RETENTION_DAYS)
                .add()
                .property()
                .name(ListenerSettings.AUDIT_LOG_STREAM_OPTION)
                .type("boolean")
                .helpText("Also write every committed audit entry, as a line of the JSON export, to the log category "
                        + AuditLogStream.CATEGORY + ", for SIEMs that collect Keycloak's logs.")
                .defaultValue(false)
                .add()
                .property()
                .name(ListenerSettings.VENDOR_IDENTITY_STEP_OPTION)
                .type("boolean")
                .helpText(
                        "Whether a realm's identity-verification vendor may stand in for the live identity step (then "
                                + "no one of the company sees the hire). Off: vendors stand in for the document step at most, "
                                + "whatever a realm's vendors page says.")
                .defaultValue(false)
                .add()
                .build();
    }
}
