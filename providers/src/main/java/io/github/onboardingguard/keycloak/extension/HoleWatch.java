package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.probation.RealmHealth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * Runs the realm health check again after an admin changes what it reads (flows and their bindings,
 * clients, identity providers, roles, components such as LDAP mappers and the policy) and logs a
 * WARN for each hole that was not there before; a scheduled run every few minutes finds what
 * changed without an admin event (client policies). What was reported is remembered per node only
 * to keep the log quiet; every node that sees a change checks the database afresh.
 */
final class HoleWatch {

    private static final Logger LOG = Logger.getLogger(HoleWatch.class);
    private static final String SCHEDULED = "onboarding-guard.hole-watch.scheduled";
    private static final Set<ResourceType> WATCHED = Set.of(
            ResourceType.REALM,
            ResourceType.AUTH_FLOW,
            ResourceType.AUTH_EXECUTION,
            ResourceType.AUTH_EXECUTION_FLOW,
            ResourceType.CLIENT,
            ResourceType.CLIENT_SCOPE,
            ResourceType.IDENTITY_PROVIDER,
            ResourceType.IDENTITY_PROVIDER_MAPPER,
            ResourceType.REALM_ROLE,
            ResourceType.CLIENT_ROLE,
            ResourceType.COMPONENT,
            ResourceType.USER_PROFILE,
            ResourceType.CLIENT_SCOPE_CLIENT_MAPPING);

    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();

    static boolean watches(ResourceType type) {
        return type != null && WATCHED.contains(type);
    }

    /** Once per request, after it commits: a rolled-back change opened no hole. */
    void checkAfterCommit(KeycloakSession session, String realmId) {
        if (session.getAttribute(SCHEDULED) != null) {
            return;
        }
        session.setAttribute(SCHEDULED, Boolean.TRUE);
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new KeycloakTransaction() {
            private boolean rolledBack;

            @Override
            public void begin() {}

            @Override
            public void commit() {
                if (!rolledBack) {
                    check(factory, realmId);
                }
            }

            @Override
            public void rollback() {
                rolledBack = true;
            }

            @Override
            public void setRollbackOnly() {
                rolledBack = true;
            }

            @Override
            public boolean getRollbackOnly() {
                return rolledBack;
            }

            @Override
            public boolean isActive() {
                return true;
            }
        });
    }

    /** At start: every realm that uses the extension, each hole logged once. */
    void checkAll(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, this::checkAll);
    }

    private void checkAll(KeycloakSession session) {
        session.realms().getRealmsStream().filter(RealmHealth::usesOnboarding).forEach(realm -> report(session, realm));
    }

    /** Every few minutes on one node: what changed without an admin event (client policies, say) is found too. */
    ScheduledTask task() {
        return new ScheduledTask() {
            @Override
            public void run(KeycloakSession session) {
                checkAll(session);
            }

            @Override
            public String getTaskName() {
                return "onboarding-guard-hole-check";
            }
        };
    }

    private void check(KeycloakSessionFactory factory, String realmId) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null && RealmHealth.usesOnboarding(realm)) {
                    report(session, realm);
                }
            });
        } catch (RuntimeException e) {
            // A check that cannot run must not fail the admin's change; it must not stay silent either.
            LOG.warnf(
                    e,
                    "Could not check realm %s for onboarding holes; run GET /admin/realms/{realm}/onboarding/health",
                    realmId);
        }
    }

    private void report(KeycloakSession session, RealmModel realm) {
        session.getContext().setRealm(realm);
        List<RealmHealth.Hole> holes = RealmHealth.check(session, realm);
        Set<String> now = holes.stream().map(HoleWatch::key).collect(Collectors.toSet());
        Set<String> before = reported.getOrDefault(realm.getId(), Set.of());
        for (RealmHealth.Hole hole : holes) {
            if (!before.contains(key(hole))) {
                LOG.warnf(
                        "Realm %s: onboarding hole %s (%s) at %s: %s. Fix: %s",
                        realm.getName(), hole.code(), hole.severity(), hole.subject(), hole.message(), hole.fix());
            }
        }
        reported.put(realm.getId(), now);
    }

    private static String key(RealmHealth.Hole hole) {
        return hole.code() + " " + hole.subject();
    }
}
