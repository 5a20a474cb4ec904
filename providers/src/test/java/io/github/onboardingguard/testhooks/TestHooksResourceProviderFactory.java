package io.github.onboardingguard.testhooks;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditRetention;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.StageEvent;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Test-only endpoint, packaged into a separate JAR that only the integration tests load: applies a
 * stage event through the same service the ceremony uses, e.g. to promote a case.
 */
public final class TestHooksResourceProviderFactory implements RealmResourceProviderFactory {

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new Hooks(session);
            }

            @Override
            public void close() {}
        };
    }

    public static final class Hooks {
        private final KeycloakSession session;

        Hooks(KeycloakSession session) {
            this.session = session;
        }

        @POST
        @Path("cases/{caseId}/events/{event}")
        @Produces(MediaType.APPLICATION_JSON)
        public Response apply(
                @PathParam("caseId") String caseId,
                @PathParam("event") String event,
                @QueryParam("holdSeconds") int holdSeconds) {
            RealmModel realm = session.getContext().getRealm();
            OnboardingCases cases = new OnboardingCases(session, realm);
            OnboardingCaseEntity onboardingCase =
                    cases.store().findById(realm.getId(), caseId).orElse(null);
            if (onboardingCase == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            try {
                String stage = cases.apply(onboardingCase, StageEvent.valueOf(event), "test-hook", "applied by a test")
                        .name();
                if (holdSeconds > 0) {
                    // Written to the database but not committed: a node killed now dies mid-change.
                    session.getProvider(org.keycloak.connections.jpa.JpaConnectionProvider.class)
                            .getEntityManager()
                            .flush();
                    org.jboss.logging.Logger.getLogger(Hooks.class)
                            .infof("holding the change of case %s uncommitted", caseId);
                    Thread.sleep(holdSeconds * 1000L);
                }
                return Response.ok(Map.of("stage", stage)).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Response.status(503).build();
            } catch (IllegalTransitionException e) {
                return Response.status(409)
                        .entity(Map.of("error", "illegal_transition", "message", e.getMessage()))
                        .build();
            }
        }

        /**
         * Links a user to a user federation provider, as its import of the user from the directory would
         * have; a case of the user takes the link as if it had been opened for the imported account.
         */
        @POST
        @Path("users/{userId}/federation-link/{componentId}")
        public Response linkToFederation(
                @PathParam("userId") String userId, @PathParam("componentId") String componentId) {
            RealmModel realm = session.getContext().getRealm();
            UserModel user = session.users().getUserById(realm, userId);
            if (user == null) {
                return Response.status(404).build();
            }
            user.setFederationLink(componentId);
            new OnboardingCases(session, realm)
                    .store()
                    .findByUser(realm.getId(), userId)
                    .ifPresent(onboardingCase -> onboardingCase.setFederationLink(componentId));
            return Response.noContent().build();
        }

        /** Moves a case's deadline a second into the past, as time passing would (the API refuses past deadlines). */
        @POST
        @Path("cases/{caseId}/deadline-passed")
        @Produces(MediaType.APPLICATION_JSON)
        public Response deadlinePassed(@PathParam("caseId") String caseId) {
            RealmModel realm = session.getContext().getRealm();
            OnboardingCases cases = new OnboardingCases(session, realm);
            OnboardingCaseEntity onboardingCase =
                    cases.store().findById(realm.getId(), caseId).orElse(null);
            if (onboardingCase == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            onboardingCase.setDeadline(System.currentTimeMillis() - 1000);
            cases.refreshSessionNotes(onboardingCase);
            return Response.ok(Map.of("deadline", onboardingCase.getDeadline())).build();
        }

        /** Moves a verified case's re-verification date to {@code minutes} from now (negative: past), as time would. */
        @POST
        @Path("cases/{caseId}/reverify-due-in/{minutes}")
        @Produces(MediaType.APPLICATION_JSON)
        public Response reverifyDueIn(@PathParam("caseId") String caseId, @PathParam("minutes") long minutes) {
            RealmModel realm = session.getContext().getRealm();
            OnboardingCaseEntity onboardingCase = new OnboardingCases(session, realm)
                    .store()
                    .findById(realm.getId(), caseId)
                    .orElse(null);
            if (onboardingCase == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            onboardingCase.setReverifyDueAt(System.currentTimeMillis() + minutes * 60_000);
            return Response.ok(Map.of("reverifyDueAt", onboardingCase.getReverifyDueAt()))
                    .build();
        }

        /**
         * Makes the database refuse to record this case's expiry, as a fault in one row would (a
         * constraint the rows of every other case satisfy); DELETE lifts it.
         */
        @POST
        @Path("cases/{caseId}/refuse-expiry")
        @Produces(MediaType.APPLICATION_JSON)
        public Response refuseExpiry(@PathParam("caseId") String caseId) {
            if (!caseId.matches("[0-9a-f-]{36}")) {
                return Response.status(400)
                        .entity(Map.of("error", "invalid_request"))
                        .build();
            }
            em().createNativeQuery(
                            "alter table OG_STAGE_CHANGE add constraint OG_TEST_REFUSED_EXPIRY check (CASE_ID <> '"
                                    + caseId + "' or TO_STAGE <> 'EXPIRED')")
                    .executeUpdate();
            return Response.ok(Map.of("refused", caseId)).build();
        }

        @DELETE
        @Path("cases/refuse-expiry")
        @Produces(MediaType.APPLICATION_JSON)
        public Response allowExpiry() {
            em().createNativeQuery("alter table OG_STAGE_CHANGE drop constraint if exists OG_TEST_REFUSED_EXPIRY")
                    .executeUpdate();
            return Response.ok(Map.of()).build();
        }

        /**
         * A stage change that tells the sponsor, the way a ceremony's rejection does: the event
         * through the case service, the mail through the extension's mailer. With {@code rollback}
         * the request's transaction is rolled back afterwards, as a failure later in a request would.
         */
        @POST
        @Path("cases/{caseId}/events/{event}/with-sponsor-mail")
        @Produces(MediaType.APPLICATION_JSON)
        public Response applyAndMail(
                @PathParam("caseId") String caseId,
                @PathParam("event") String event,
                @QueryParam("reason") String reason,
                @QueryParam("rollback") boolean rollback) {
            RealmModel realm = session.getContext().getRealm();
            OnboardingCases cases = new OnboardingCases(session, realm);
            OnboardingCaseEntity onboardingCase =
                    cases.store().findById(realm.getId(), caseId).orElse(null);
            if (onboardingCase == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            cases.apply(onboardingCase, StageEvent.valueOf(event), "test-hook", reason);
            Notifications.toSponsor(
                    session,
                    realm,
                    onboardingCase,
                    new Notifications.Mail(
                            "onboardingRejectedSubject",
                            "onboarding-rejected.ftl",
                            Map.of("step", "IDENTITY", "reason", reason)));
            if (rollback) {
                session.getTransactionManager().setRollbackOnly();
                return Response.status(409)
                        .entity(Map.of("error", "rolled_back"))
                        .build();
            }
            return Response.ok(Map.of("stage", onboardingCase.getStage().name()))
                    .build();
        }

        /**
         * Writes one setting of the realm's stored policy straight into Keycloak's table, past the
         * validation the admin console and the components API apply: what an older extension version,
         * a database edit or a migration can leave behind. Clear the realm cache afterwards.
         */
        @POST
        @Path("policy/raw")
        @Produces(MediaType.APPLICATION_JSON)
        public Response rawPolicySetting(@QueryParam("name") String name, @QueryParam("value") String value) {
            RealmModel realm = session.getContext().getRealm();
            String componentId = realm.getComponentsStream(
                            realm.getId(), "org.keycloak.services.ui.extend.UiPageProvider")
                    .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                    .findFirst()
                    .orElseThrow()
                    .getId();
            int changed = em().createNativeQuery(
                            "update COMPONENT_CONFIG set VALUE = ?1 where COMPONENT_ID = ?2 and NAME = ?3")
                    .setParameter(1, value)
                    .setParameter(2, componentId)
                    .setParameter(3, name)
                    .executeUpdate();
            if (changed == 0) {
                changed = em().createNativeQuery(
                                "insert into COMPONENT_CONFIG (ID, COMPONENT_ID, NAME, VALUE) values (?1, ?2, ?3, ?4)")
                        .setParameter(1, java.util.UUID.randomUUID().toString())
                        .setParameter(2, componentId)
                        .setParameter(3, name)
                        .setParameter(4, value)
                        .executeUpdate();
            }
            return Response.ok(Map.of("changed", changed)).build();
        }

        /** Appends synthetic entries the way the extension does: one transaction per call, chained at commit. */
        @POST
        @Path("audit/append")
        @Produces(MediaType.APPLICATION_JSON)
        public Response appendAudit(@QueryParam("count") int count) {
            RealmModel realm = session.getContext().getRealm();
            for (int i = 0; i < count; i++) {
                AuditLog.append(
                        session,
                        realm.getId(),
                        "system:test",
                        null,
                        "test.synthetic",
                        Map.of("n", i, "padding", "x".repeat(200)));
            }
            return Response.ok(Map.of("appended", count)).build();
        }

        /** What an attacker with database access would do: change one entry's details, bypassing the chain. */
        @POST
        @Path("audit/tamper/{seq}")
        @Produces(MediaType.APPLICATION_JSON)
        public Response tamper(@PathParam("seq") long seq) {
            int changed = em().createQuery(
                            "update AuditEntryEntity e set e.details = :details where e.realmId = :realm and e.seq = :seq")
                    .setParameter("details", "{\"tampered\":true}")
                    .setParameter("realm", session.getContext().getRealm().getId())
                    .setParameter("seq", seq)
                    .executeUpdate();
            return Response.ok(Map.of("changed", changed)).build();
        }

        @POST
        @Path("audit/delete/{seq}")
        @Produces(MediaType.APPLICATION_JSON)
        public Response deleteEntry(@PathParam("seq") long seq) {
            int deleted = em().createQuery("delete from AuditEntryEntity e where e.realmId = :realm and e.seq = :seq")
                    .setParameter("realm", session.getContext().getRealm().getId())
                    .setParameter("seq", seq)
                    .executeUpdate();
            return Response.ok(Map.of("deleted", deleted)).build();
        }

        /** Runs retention now with an explicit cutoff, instead of waiting for the hourly task. */
        @POST
        @Path("audit/prune")
        @Produces(MediaType.APPLICATION_JSON)
        public Response prune(@QueryParam("before") String before, @QueryParam("batch") Integer batch) {
            long removed = AuditRetention.prune(
                    session.getKeycloakSessionFactory(),
                    session.getContext().getRealm().getId(),
                    Instant.parse(before).toEpochMilli(),
                    batch == null ? AuditRetention.DEFAULT_BATCH : batch);
            return Response.ok(Map.of("removed", removed)).build();
        }

        /** A webhook receiver on the server's own machine (localhost inside its container): takes anything, 204. */
        @POST
        @Path("webhook-sink")
        public Response webhookSink(String body) {
            return Response.noContent().build();
        }

        /**
         * Queues {@code count} webhook alerts for this realm's (first) subscription, as risk rules would,
         * or with {@code receiver=former-policy} for the policy's own alert webhook, as versions before
         * webhook subscriptions did. The subscription is read from the database: this node's realm cache
         * may not know it yet.
         */
        @POST
        @Path("webhooks/enqueue")
        @Produces(MediaType.APPLICATION_JSON)
        public Response enqueueAlerts(@QueryParam("count") int count, @QueryParam("receiver") String receiver) {
            String realmId = session.getContext().getRealm().getId();
            List<String> subscriptions = "former-policy".equals(receiver)
                    ? List.of(io.github.onboardingguard.webhooks.WebhookSubscription.FORMER_POLICY_ID)
                    : em().createQuery(
                                    "select c.id from ComponentEntity c where c.realm.id = :realm and c.providerId = :page order by c.id",
                                    String.class)
                            .setParameter("realm", realmId)
                            .setParameter("page", "onboarding-webhook")
                            .getResultList();
            if (subscriptions.isEmpty()) {
                return Response.status(409)
                        .entity(Map.of("error", "no_subscription"))
                        .build();
            }
            io.github.onboardingguard.keycloak.webhooks.WebhookOutbox outbox =
                    new io.github.onboardingguard.keycloak.webhooks.WebhookOutbox(session);
            for (int i = 0; i < count; i++) {
                outbox.enqueue(realmId, subscriptions.get(0), "test.alert", Map.of("n", i, "at", System.nanoTime()));
            }
            return Response.ok(Map.of("queued", count)).build();
        }

        /** Prunes this realm's settled webhook alerts as the delivery task does, as if the clock said {@code now}. */
        @POST
        @Path("webhooks/prune")
        @Produces(MediaType.APPLICATION_JSON)
        public Response pruneAlerts(@QueryParam("now") String now) {
            int removed = new io.github.onboardingguard.keycloak.webhooks.WebhookOutbox(session)
                    .prune(
                            session.getContext().getRealm().getId(),
                            Instant.parse(now).toEpochMilli());
            return Response.ok(Map.of("removed", removed)).build();
        }

        /** Runs the hourly retention task for this realm as if the clock said {@code now}. */
        @POST
        @Path("audit/retention-run")
        @Produces(MediaType.APPLICATION_JSON)
        public Response runRetention(@QueryParam("now") String now) {
            long removed = io.github.onboardingguard.keycloak.audit.AuditRetentionTask.applyRetention(
                    session.getKeycloakSessionFactory(),
                    session.getContext().getRealm().getId(),
                    Instant.parse(now).toEpochMilli(),
                    AuditRetention.DEFAULT_BATCH,
                    io.github.onboardingguard.keycloak.policy.RealmPolicies::auditRetentionDays);
            return Response.ok(Map.of("removed", removed)).build();
        }

        /** Heap in use after a full collection: what the server really holds at this moment. */
        @GET
        @Path("heap")
        @Produces(MediaType.APPLICATION_JSON)
        public Response heap() {
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return Response.ok(Map.of("used", heap.getUsed(), "max", heap.getMax()))
                    .build();
        }

        private EntityManager em() {
            return session.getProvider(JpaConnectionProvider.class).getEntityManager();
        }

        /** As if every session of the user signed in {@code seconds} ago: a console left open that long. */
        @POST
        @Path("users/{username}/sign-in-age")
        @Produces(MediaType.APPLICATION_JSON)
        public Response ageSignIn(@PathParam("username") String username, @QueryParam("seconds") long seconds) {
            RealmModel realm = session.getContext().getRealm();
            org.keycloak.models.UserModel user = session.users().getUserByUsername(realm, username);
            if (user == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            String signedIn = String.valueOf(Instant.now().getEpochSecond() - seconds);
            long sessions = session.sessions()
                    .getUserSessionsStream(realm, user)
                    .peek(userSession -> userSession.setNote(
                            org.keycloak.services.managers.AuthenticationManager.AUTH_TIME, signedIn))
                    .count();
            return Response.ok(Map.of("sessions", sessions)).build();
        }

        @POST
        @Path("ceremonies/{ceremonyId}/expire-code")
        @Produces(MediaType.APPLICATION_JSON)
        public Response expireCode(@PathParam("ceremonyId") String ceremonyId) {
            return CodeClock.expire(session, ceremonyId);
        }
    }

    /** Lets a test see an expired ceremony code without waiting minutes for it. */
    public static final class CodeClock {
        private CodeClock() {}

        static Response expire(KeycloakSession session, String ceremonyId) {
            EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
            CeremonyEntity ceremony = em.find(CeremonyEntity.class, ceremonyId);
            if (ceremony == null || ceremony.getCodeExpiresAt() == null) {
                return Response.status(404).entity(Map.of("error", "not_found")).build();
            }
            ceremony.setCodeExpiresAt(System.currentTimeMillis() - 1);
            return Response.ok(Map.of("codeExpiresAt", ceremony.getCodeExpiresAt()))
                    .build();
        }
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}

    @Override
    public String getId() {
        return "onboarding-test-hooks";
    }
}
