package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEffects;
import io.github.onboardingguard.onboarding.StageEffects.Effect;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.onboarding.StageMachine;
import io.github.onboardingguard.risk.ContactFingerprint;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.webhooks.WebhookEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Opens onboarding cases, moves them through {@link StageMachine} and announces each change: the
 * effects on the account ({@link StageEffects}) in the same transaction. Who has a case is
 * {@link CaseLookup}'s to say, held grants are {@link HeldGrants}', removed accounts {@link CaseRemovals}'.
 */
public final class OnboardingCases {

    private static final Logger LOG = Logger.getLogger(OnboardingCases.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CaseStore store;

    public OnboardingCases(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new CaseStore(session);
    }

    public CaseStore store() {
        return store;
    }

    /** A deferred grant by internal id. */
    public record Grant(DeferredGrantEntity.Kind kind, String targetId) {}

    /**
     * @param provenance how the hire came to have a case ({@code path}: {@code onboarding-api}, or the
     *     provisioning path an enrollment rule covered, with its source and the rule), for the trail
     */
    public OnboardingCaseEntity open(
            UserModel hire,
            UserModel sponsor,
            String actor,
            long deadline,
            List<Grant> grants,
            Map<String, Object> provenance) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        long now = System.currentTimeMillis();
        OnboardingCaseEntity onboardingCase = new OnboardingCaseEntity();
        onboardingCase.setId(UUID.randomUUID().toString());
        onboardingCase.setRealmId(realm.getId());
        onboardingCase.setUserId(hire.getId());
        onboardingCase.setStage(Stage.INVITED);
        onboardingCase.setSponsorId(sponsor == null ? null : sponsor.getId());
        onboardingCase.setCreatedBy(actor);
        onboardingCase.setContactFingerprint(contactFingerprint(onboardingCase, hire));
        onboardingCase.setFederationLink(hire.getFederationLink());
        onboardingCase.setCreatedAt(now);
        onboardingCase.setDeadline(deadline);
        Object path = provenance.get("path");
        onboardingCase.setPath(path == null ? null : path.toString());
        for (Grant grant : grants) {
            DeferredGrantEntity entity = new DeferredGrantEntity();
            entity.setId(UUID.randomUUID().toString());
            entity.setOnboardingCase(onboardingCase);
            entity.setKind(grant.kind());
            entity.setTargetId(grant.targetId());
            onboardingCase.getDeferredGrants().add(entity);
        }
        recordChange(onboardingCase, null, Stage.INVITED, actor, "case opened", now);
        OnboardingMetrics.stageChange(session, realm.getName(), null, Stage.INVITED.name());
        store.persist(onboardingCase);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.putAll(provenance);
        details.put("stage", Stage.INVITED.name());
        details.put("sponsorId", onboardingCase.getSponsorId());
        details.put("deadline", Instants.iso(deadline));
        details.put(
                "deferredGrants",
                grants.stream()
                        .map(g -> HeldGrants.describe(realm, g.kind(), g.targetId()))
                        .toList());
        AuditLog.append(session, realm.getId(), actor, hire.getId(), "case.created", details);
        CaseEvent.afterCommit(session, realm, CaseEvent.Kind.CREATED, hire.getId(), Stage.INVITED, null);
        announce(WebhookEvents.CASE_CREATED, onboardingCase, hire, actor, null, now);

        RoleModel probationary = realm.getRole(policy.probationaryRole());
        if (probationary != null) {
            hire.grantRole(probationary);
        } else {
            LOG.warnf(
                    "Realm %s has no probationary role '%s'; hire %s relies on the case marker only",
                    realm.getName(), policy.probationaryRole(), hire.getUsername());
        }
        hire.setSingleAttribute(CaseLookup.MARKER_ATTRIBUTE, onboardingCase.getId());
        // Default groups joined at creation wait for verification like any other group.
        for (GroupModel group : hire.getGroupsStream().toList()) {
            if (HeldGrants.isOrganizationMembership(group)) {
                continue;
            }
            hire.leaveGroup(group);
            new HeldGrants(session, realm).hold(onboardingCase, DeferredGrantEntity.Kind.GROUP, group.getId(), actor);
        }
        new CaseLookup(session, realm).forget(hire.getId());
        return onboardingCase;
    }

    /**
     * Applies an event: decides the new stage ({@link StageMachine}; an illegal change is refused with
     * {@link io.github.onboardingguard.onboarding.IllegalTransitionException} before anything is
     * changed), records it (case row, history, metrics, audit, outbox), then does to the account what
     * {@link StageEffects} says, in its order.
     */
    public Stage apply(OnboardingCaseEntity onboardingCase, StageEvent event, String actor, String reason) {
        return change(onboardingCase, event, actor, reason, true);
    }

    /**
     * Rejects an open case whose account is gone or going (Keycloak removes it itself): decided and
     * recorded like any change, the account left alone. The case stays, with its history, signals and
     * ceremonies, for the auditors.
     */
    void rejectWithoutAccount(OnboardingCaseEntity onboardingCase, String reason) {
        change(onboardingCase, StageEvent.REJECT, Actors.UNKNOWN, reason, false);
    }

    private Stage change(
            OnboardingCaseEntity onboardingCase, StageEvent event, String actor, String reason, boolean touchAccount) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Stage from = onboardingCase.getStage();
        Stage to = StageMachine.next(from, event, onboardingCase.getSuspendedFrom(), policy.documentStepRequired());
        long now = System.currentTimeMillis();
        record(onboardingCase, event, from, to, actor, reason, now);

        UserModel user = touchAccount ? session.users().getUserById(realm, onboardingCase.getUserId()) : null;
        if (to == Stage.VERIFIED && onboardingCase.getFirstVerifiedAt() == null) {
            onboardingCase.setFirstVerifiedAt(now);
        }
        if (to == Stage.VERIFIED
                && user != null
                && (event == StageEvent.IDENTITY_APPROVED || onboardingCase.getVerifiedAt() == null)) {
            // Only a verifier who saw the person restarts the clocks: a recovery by passkey or a reinstatement keeps
            // the address the verified person had (a later recovery is told there too) and the re-verification date.
            onboardingCase.setVerifiedEmail(user.getEmail());
            onboardingCase.setVerifiedAt(now);
            onboardingCase.setRemindedDays(null);
        } else if (to != Stage.VERIFIED) {
            onboardingCase.setReverifyDueAt(null);
        }
        if (event == StageEvent.REVERIFY) {
            // A probation of its own: the deadline of the first one has long passed, and would expire the account.
            onboardingCase.setDeadline(now + policy.probation().toMillis());
            onboardingCase.setRemindedDays(null);
        }
        announce(webhookTypeOf(event), onboardingCase, user, actor, from, now);
        if (user != null) {
            for (Effect effect : StageEffects.of(from, event, to)) {
                run(effect, onboardingCase, user, policy, actor);
            }
            if (to == Stage.VERIFIED) {
                CredentialFingerprint.remember(onboardingCase, user);
                // After the effects: the groups applied at verification decide the cadence too.
                onboardingCase.setReverifyDueAt(Reverifications.dueAfter(
                        policy, user, onboardingCase.getVerifiedAt() == null ? now : onboardingCase.getVerifiedAt()));
            }
        }
        return to;
    }

    /**
     * The stage is on the case row, and the request's memo of it is cleared, before any effect runs:
     * grants applied at verification come back through Keycloak's {@code RoleGrantedEvent} into
     * {@link HeldGrants#holdIfRestricted}, which must then read the new stage, not hold them again.
     */
    private void record(
            OnboardingCaseEntity onboardingCase,
            StageEvent event,
            Stage from,
            Stage to,
            String actor,
            String reason,
            long now) {
        onboardingCase.setSuspendedFrom(to == Stage.SUSPENDED ? from : null);
        if (event == StageEvent.FIRST_LOGIN) {
            onboardingCase.setProbationStartedAt(now);
        }
        onboardingCase.setStage(to);
        if (from == Stage.INVITED) {
            // Signed in, or stopped: the invitation's link has done its work either way.
            onboardingCase.setInvitation(null, null, null);
        }
        recordChange(onboardingCase, from, to, actor, reason, now);
        OnboardingMetrics.stageChange(session, realm.getName(), from.name(), to.name());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("event", event.name());
        details.put("from", from.name());
        details.put("to", to.name());
        details.put("reason", reason);
        AuditLog.append(session, realm.getId(), actor, onboardingCase.getUserId(), "case.stage_changed", details);
        CaseEvent.afterCommit(session, realm, CaseEvent.Kind.STAGE_CHANGED, onboardingCase.getUserId(), to, null);
        new CaseLookup(session, realm).forget(onboardingCase.getUserId());
    }

    private void run(
            Effect effect, OnboardingCaseEntity onboardingCase, UserModel user, OnboardingPolicy policy, String actor) {
        RoleModel probationary = realm.getRole(policy.probationaryRole());
        switch (effect) {
            case MARK_NARROWED -> SessionNotes.markNarrowed(user);
            case DISABLE -> user.setEnabled(false);
            case ENABLE -> user.setEnabled(true);
            case APPLY_HELD_GRANTS -> new HeldGrants(session, realm).applyApproved(onboardingCase, user);
            case DROP_PROBATIONARY_ROLE -> {
                if (probationary != null) {
                    user.deleteRoleMapping(probationary);
                }
            }
            case GRANT_PROBATIONARY_ROLE -> {
                if (probationary != null) {
                    user.grantRole(probationary);
                }
            }
            case HOLD_RESTRICTED ->
                new HeldGrants(session, realm).holdEverythingRestricted(onboardingCase, user, actor);
            case END_SESSIONS -> UserSessions.revokeAll(session, realm, user);
            case REFRESH_SESSION_NOTES -> SessionNotes.update(session, realm, user, onboardingCase);
        }
    }

    /** The lifecycle event a stage change is announced as. */
    private static String webhookTypeOf(StageEvent event) {
        return switch (event) {
            case FIRST_LOGIN -> WebhookEvents.CASE_PROBATION_STARTED;
            case DOCUMENT_APPROVED -> WebhookEvents.CASE_DOCUMENT_VERIFIED;
            case IDENTITY_APPROVED -> WebhookEvents.CASE_VERIFIED;
            case DEADLINE_PASSED -> WebhookEvents.CASE_EXPIRED;
            case SUSPEND -> WebhookEvents.CASE_SUSPENDED;
            case REINSTATE -> WebhookEvents.CASE_REINSTATED;
            case REJECT -> WebhookEvents.CASE_REJECTED;
            case REVERIFY -> WebhookEvents.CASE_REVERIFY_REQUIRED;
            case RECOVERY_STARTED -> WebhookEvents.CASE_RECOVERY_STARTED;
            case RECOVERED -> WebhookEvents.CASE_RECOVERED;
        };
    }

    /**
     * Tells the realm's webhook subscribers, through the outbox of this transaction, so a rolled-back
     * change announces nothing. No free text (reasons, names typed by hand) leaves this way.
     */
    private void announce(
            String type, OnboardingCaseEntity onboardingCase, UserModel user, String actor, Stage from, long at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("realm", realm.getName());
        data.put("caseId", onboardingCase.getId());
        Map<String, Object> hire = new LinkedHashMap<>();
        hire.put("id", onboardingCase.getUserId());
        hire.put("username", user == null ? null : user.getUsername());
        data.put("user", hire);
        data.put("stage", onboardingCase.getStage().name());
        data.put("previousStage", from == null ? null : from.name());
        data.put("actor", actor);
        data.put("at", Instants.iso(at));
        WebhookOutbox.publish(session, realm, type, data);
    }

    /** The hire's contact fields (email and the contact rule's attributes) as a fingerprint for this case. */
    public String contactFingerprint(OnboardingCaseEntity onboardingCase, UserModel user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", user.getEmail());
        for (String attribute : RealmPolicies.of(session, realm)
                .risk()
                .rule(RiskRule.CONTACT_CHANGE)
                .list("attributes")) {
            fields.put(attribute, user.getFirstAttribute(attribute));
        }
        return ContactFingerprint.of(onboardingCase.getId(), fields);
    }

    /** After the deadline or sponsor changed: sessions keep running, their notes follow. */
    public void refreshSessionNotes(OnboardingCaseEntity onboardingCase) {
        UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
        if (user != null) {
            SessionNotes.update(session, realm, user, onboardingCase);
        }
    }

    private static void recordChange(
            OnboardingCaseEntity onboardingCase, Stage from, Stage to, String actor, String reason, long at) {
        StageChangeEntity change = new StageChangeEntity();
        change.setId(UUID.randomUUID().toString());
        change.setOnboardingCase(onboardingCase);
        change.setFromStage(from);
        change.setToStage(to);
        change.setActor(actor);
        change.setReason(StageChangeEntity.fitReason(reason));
        change.setAt(at);
        onboardingCase.getHistory().add(change);
    }
}
