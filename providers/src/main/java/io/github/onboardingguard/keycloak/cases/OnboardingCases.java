package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.keycloak.support.Users;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;

/**
 * Opens onboarding cases and moves them through {@link StageMachine}, applying each stage's
 * consequences to the Keycloak user in the same transaction.
 */
public final class OnboardingCases {

    /**
     * Set on every user that has a case. Together with the probationary role it lets the login
     * gate and the token mapper skip users without a case without touching the database.
     */
    public static final String MARKER_ATTRIBUTE = "onboarding-case";

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

    /** Cheap pre-check, no database: could this user have a case? */
    public static boolean mayHaveCase(UserModel user, OnboardingPolicy policy, RealmModel realm) {
        if (user.getFirstAttribute(MARKER_ATTRIBUTE) != null) {
            return true;
        }
        RoleModel probationary = realm.getRole(policy.probationaryRole());
        return probationary != null && user.hasDirectRole(probationary);
    }

    /**
     * The user's case, if they have one: first the cheap pre-check, so users without a case cost
     * no query; then the per-request lookup.
     */
    public Optional<OnboardingCaseEntity> caseOf(UserModel user) {
        return mayHaveCase(user, RealmPolicies.of(session, realm), realm) ? findFor(user) : Optional.empty();
    }

    /**
     * The user's case from the database. Remembered for the rest of the request, because the gate,
     * the token filter (once per token type) and the event listener all ask during one login or refresh.
     */
    @SuppressWarnings("unchecked")
    public Optional<OnboardingCaseEntity> findFor(UserModel user) {
        String key = requestCacheKey(user.getId());
        Object remembered = session.getAttribute(key);
        if (remembered instanceof Optional<?> found) {
            return (Optional<OnboardingCaseEntity>) found;
        }
        Optional<OnboardingCaseEntity> found = store.findByUser(realm.getId(), user.getId());
        session.setAttribute(key, found);
        return found;
    }

    private String requestCacheKey(String userId) {
        return "onboarding-guard.case." + realm.getId() + "." + userId;
    }

    /** A deferred grant by internal id. */
    public record Grant(DeferredGrantEntity.Kind kind, String targetId) {}

    public OnboardingCaseEntity open(
            UserModel hire, UserModel sponsor, String actor, long deadline, List<Grant> grants) {
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
        details.put("stage", Stage.INVITED.name());
        details.put("sponsorId", onboardingCase.getSponsorId());
        details.put("deadline", Instants.iso(deadline));
        details.put(
                "deferredGrants",
                grants.stream()
                        .map(g -> describe(realm, g.kind(), g.targetId()))
                        .toList());
        AuditLog.append(session, realm.getId(), actor, hire.getId(), "case.created", details);
        announce(WebhookEvents.CASE_CREATED, onboardingCase, hire, actor, null, now);

        RoleModel probationary = realm.getRole(policy.probationaryRole());
        if (probationary != null) {
            hire.grantRole(probationary);
        } else {
            LOG.warnf(
                    "Realm %s has no probationary role '%s'; hire %s relies on the case marker only",
                    realm.getName(), policy.probationaryRole(), hire.getUsername());
        }
        hire.setSingleAttribute(MARKER_ATTRIBUTE, onboardingCase.getId());
        // Default groups joined at creation wait for verification like any other group.
        for (GroupModel group : hire.getGroupsStream().toList()) {
            hire.leaveGroup(group);
            hold(onboardingCase, DeferredGrantEntity.Kind.GROUP, group.getId(), actor);
        }
        session.removeAttribute(requestCacheKey(hire.getId()));
        return onboardingCase;
    }

    /**
     * Applies an event: decides the new stage ({@link StageMachine}; an illegal change is refused with
     * {@link io.github.onboardingguard.onboarding.IllegalTransitionException} before anything is
     * changed), records it (case row, history, metrics, audit, outbox), then does to the account what
     * {@link StageEffects} says, in its order.
     */
    public Stage apply(OnboardingCaseEntity onboardingCase, StageEvent event, String actor, String reason) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Stage from = onboardingCase.getStage();
        Stage to = StageMachine.next(from, event, onboardingCase.getSuspendedFrom(), policy.documentStepRequired());
        long now = System.currentTimeMillis();
        record(onboardingCase, event, from, to, actor, reason, now);

        UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
        announce(webhookTypeOf(event), onboardingCase, user, actor, from, now);
        if (user != null) {
            for (Effect effect : StageEffects.of(from, event, to)) {
                run(effect, onboardingCase, user, policy, actor);
            }
        }
        return to;
    }

    /**
     * The stage is on the case row, and the request's memo of it is cleared, before any effect runs:
     * grants applied at verification come back through Keycloak's {@code RoleGrantedEvent} into
     * {@link #holdIfRestricted}, which must then read the new stage, not hold them again.
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
        recordChange(onboardingCase, from, to, actor, reason, now);
        OnboardingMetrics.stageChange(session, realm.getName(), from.name(), to.name());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("event", event.name());
        details.put("from", from.name());
        details.put("to", to.name());
        details.put("reason", reason);
        AuditLog.append(session, realm.getId(), actor, onboardingCase.getUserId(), "case.stage_changed", details);
        session.removeAttribute(requestCacheKey(onboardingCase.getUserId()));
    }

    private void run(
            Effect effect, OnboardingCaseEntity onboardingCase, UserModel user, OnboardingPolicy policy, String actor) {
        RoleModel probationary = realm.getRole(policy.probationaryRole());
        switch (effect) {
            case MARK_NARROWED -> SessionNotes.markNarrowed(user);
            case DISABLE -> user.setEnabled(false);
            case ENABLE -> user.setEnabled(true);
            case APPLY_HELD_GRANTS -> applyApprovedGrants(onboardingCase, user);
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
            case HOLD_RESTRICTED -> holdEverythingRestricted(onboardingCase, user, actor);
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

    /**
     * A role was just granted to the user, by whatever path (admin console, REST, import, script).
     * While the case is not VERIFIED, a role outside the policy's allow-list is taken off again in
     * the same transaction and held on the case, to be applied at verification.
     *
     * @return the held grant, if this grant was held
     */
    public Optional<DeferredGrantEntity> holdIfRestricted(UserModel user, RoleModel role) {
        Optional<OnboardingCaseEntity> restricted = caseOf(user).filter(c -> c.getStage() != Stage.VERIFIED);
        if (restricted.isEmpty() || allowedInProbation(role)) {
            return Optional.empty();
        }
        user.deleteRoleMapping(role);
        DeferredGrantEntity.Kind kind =
                role.isClientRole() ? DeferredGrantEntity.Kind.CLIENT_ROLE : DeferredGrantEntity.Kind.REALM_ROLE;
        return holdAnew(restricted.get(), kind, role.getId());
    }

    /** The grant held now, or empty when it was already waiting on the case: a repeat is taken off again, not signalled again. */
    private Optional<DeferredGrantEntity> holdAnew(
            OnboardingCaseEntity onboardingCase, DeferredGrantEntity.Kind kind, String targetId) {
        boolean waiting = onboardingCase.getDeferredGrants().stream()
                .anyMatch(g -> g.getKind() == kind && g.getTargetId().equals(targetId) && g.getAppliedAt() == null);
        DeferredGrantEntity held = hold(onboardingCase, kind, targetId, Actors.current(session));
        return waiting ? Optional.empty() : Optional.of(held);
    }

    /** The group counterpart of {@link #holdIfRestricted(UserModel, RoleModel)}: no group is open during probation. */
    public Optional<DeferredGrantEntity> holdIfRestricted(UserModel user, GroupModel group) {
        Optional<OnboardingCaseEntity> restricted = caseOf(user).filter(c -> c.getStage() != Stage.VERIFIED);
        if (restricted.isEmpty()) {
            return Optional.empty();
        }
        user.leaveGroup(group);
        return holdAnew(restricted.get(), DeferredGrantEntity.Kind.GROUP, group.getId());
    }

    /**
     * The probationary role was just taken from the user (by an admin, a script, an import): while
     * the case is not VERIFIED it goes straight back on, and the attempt is audited.
     *
     * @return the case, if the role was put back
     */
    public Optional<OnboardingCaseEntity> keepProbationaryRole(UserModel user, RoleModel revoked) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (revoked.isClientRole() || !revoked.getName().equals(policy.probationaryRole())) {
            return Optional.empty();
        }
        // By the database, not the pre-check: the role the pre-check looks for is the one just removed.
        Optional<OnboardingCaseEntity> restricted =
                store.findByUser(realm.getId(), user.getId()).filter(c -> c.getStage() != Stage.VERIFIED);
        restricted.ifPresent(c -> {
            user.grantRole(revoked);
            AuditLog.append(
                    session,
                    realm.getId(),
                    Actors.current(session),
                    user.getId(),
                    "case.probationary_role_restored",
                    Map.of(
                            "caseId",
                            c.getId(),
                            "role",
                            revoked.getName(),
                            "stage",
                            c.getStage().name()));
        });
        return restricted;
    }

    /**
     * The case marker is how every check finds a hire without a query: if it is missing or changed,
     * it is put back and the attempt audited.
     *
     * @return the case, if the marker was restored
     */
    public Optional<OnboardingCaseEntity> restoreMarker(UserModel user) {
        Optional<OnboardingCaseEntity> found = store.findByUser(realm.getId(), user.getId());
        if (found.isEmpty() || found.get().getId().equals(user.getFirstAttribute(MARKER_ATTRIBUTE))) {
            return Optional.empty();
        }
        OnboardingCaseEntity onboardingCase = found.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("found", user.getFirstAttribute(MARKER_ATTRIBUTE));
        details.put("stage", onboardingCase.getStage().name());
        user.setSingleAttribute(MARKER_ATTRIBUTE, onboardingCase.getId());
        AuditLog.append(session, realm.getId(), Actors.current(session), user.getId(), "case.marker_restored", details);
        return found;
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

    /**
     * The time access was last narrowed (suspension, expiry, rejection, re-verification) decides
     * which session notes are trusted; taking it away would make a login paused across the change
     * count again. It is put back from the case's history, and the attempt audited.
     *
     * @return the case, if the attribute was restored
     */
    public Optional<OnboardingCaseEntity> restoreNarrowedAt(UserModel user) {
        Optional<OnboardingCaseEntity> found = store.findByUser(realm.getId(), user.getId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long narrowedAt = found.get().getHistory().stream()
                .filter(change ->
                        change.getFromStage() != null && Stage.narrows(change.getFromStage(), change.getToStage()))
                .mapToLong(StageChangeEntity::getAt)
                .max()
                .orElse(0);
        String current = user.getFirstAttribute(SessionNotes.NARROWED_AT_ATTRIBUTE);
        if (narrowedAt == 0 || current != null && parseOrZero(current) >= narrowedAt) {
            return Optional.empty();
        }
        user.setSingleAttribute(SessionNotes.NARROWED_AT_ATTRIBUTE, Long.toString(narrowedAt));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", found.get().getId());
        details.put("found", current);
        details.put("restored", Instants.iso(narrowedAt));
        AuditLog.append(
                session, realm.getId(), Actors.current(session), user.getId(), "case.narrowed_at_restored", details);
        return found;
    }

    private static long parseOrZero(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The probationary role, or a role the policy lets a hire hold before verification together
     * with everything it gives: a role is judged by all it reaches through its composites, since
     * Keycloak's admin API and {@code hasRole()} read the expanded roles from the database.
     */
    public boolean allowedInProbation(RoleModel role) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (isProbationaryRole(role, policy)) {
            return true;
        }
        if (!allowedByName(role, policy)) {
            return false;
        }
        Set<RoleModel> reached = new HashSet<>();
        collectComposites(role, reached);
        return reached.stream().allMatch(r -> isProbationaryRole(r, policy) || allowedByName(r, policy));
    }

    /** The first role {@code role} gives, itself included, that the allow-list does not name. */
    public Optional<RoleModel> firstOutsideAllowList(RoleModel role) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Set<RoleModel> reached = new LinkedHashSet<>();
        reached.add(role);
        collectComposites(role, reached);
        return reached.stream()
                .filter(r -> !isProbationaryRole(r, policy) && !allowedByName(r, policy))
                .findFirst();
    }

    private static boolean isProbationaryRole(RoleModel role, OnboardingPolicy policy) {
        return !role.isClientRole() && role.getName().equals(policy.probationaryRole());
    }

    private boolean allowedByName(RoleModel role, OnboardingPolicy policy) {
        String clientId =
                role.isClientRole() && role.getContainer() instanceof ClientModel client ? client.getClientId() : null;
        RoleModel defaultRole = realm.getDefaultRole();
        return policy.allowsRoleInToken(clientId, role.getName(), defaultRole == null ? null : defaultRole.getName());
    }

    private static void collectComposites(RoleModel role, Set<RoleModel> reached) {
        role.getCompositesStream().forEach(child -> {
            if (reached.add(child)) {
                collectComposites(child, reached);
            }
        });
    }

    /**
     * A role's composites changed: every hire not yet verified who holds a role that now gives more than the
     * allow-list has it held on the case, as if it had just been granted.
     *
     * @return the grants held now, with their users
     */
    public List<Map.Entry<UserModel, DeferredGrantEntity>> holdWhatCompositesNowGive() {
        List<Map.Entry<UserModel, DeferredGrantEntity>> held = new ArrayList<>();
        for (OnboardingCaseEntity pending : store.notVerified(realm.getId())) {
            UserModel user = session.users().getUserById(realm, pending.getUserId());
            if (user == null) {
                continue;
            }
            for (RoleModel role : user.getRoleMappingsStream().toList()) {
                if (!allowedInProbation(role)) {
                    user.deleteRoleMapping(role);
                    DeferredGrantEntity.Kind kind = role.isClientRole()
                            ? DeferredGrantEntity.Kind.CLIENT_ROLE
                            : DeferredGrantEntity.Kind.REALM_ROLE;
                    holdAnew(pending, kind, role.getId()).ifPresent(grant -> held.add(Map.entry(user, grant)));
                }
            }
        }
        return held;
    }

    /** Back to probation: what the user holds beyond the allow-list goes back onto the case. */
    private void holdEverythingRestricted(OnboardingCaseEntity onboardingCase, UserModel user, String actor) {
        for (RoleModel role : user.getRoleMappingsStream().toList()) {
            if (!allowedInProbation(role)) {
                user.deleteRoleMapping(role);
                hold(
                        onboardingCase,
                        role.isClientRole()
                                ? DeferredGrantEntity.Kind.CLIENT_ROLE
                                : DeferredGrantEntity.Kind.REALM_ROLE,
                        role.getId(),
                        actor);
            }
        }
        for (GroupModel group : user.getGroupsStream().toList()) {
            user.leaveGroup(group);
            hold(onboardingCase, DeferredGrantEntity.Kind.GROUP, group.getId(), actor);
        }
    }

    /** Records a grant as held on the case (once, however often it is made again) and audits it. */
    private DeferredGrantEntity hold(
            OnboardingCaseEntity onboardingCase, DeferredGrantEntity.Kind kind, String targetId, String actor) {
        Optional<DeferredGrantEntity> waiting = onboardingCase.getDeferredGrants().stream()
                .filter(g -> g.getKind() == kind && g.getTargetId().equals(targetId) && g.getAppliedAt() == null)
                .findFirst();
        if (waiting.isPresent()) {
            return waiting.get();
        }
        long now = System.currentTimeMillis();
        DeferredGrantEntity held = new DeferredGrantEntity();
        held.setId(UUID.randomUUID().toString());
        held.setOnboardingCase(onboardingCase);
        held.setKind(kind);
        held.setTargetId(targetId);
        held.setHeldBy(actor);
        held.setHeldAt(now);
        onboardingCase.getDeferredGrants().add(held);
        store.persist(held);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("kind", kind.name());
        details.put("grant", describe(realm, kind, targetId));
        details.put("targetId", targetId);
        details.put("stage", onboardingCase.getStage().name());
        AuditLog.append(session, realm.getId(), actor, onboardingCase.getUserId(), "case.grant_held", details);
        LOG.infof(
                "Held %s %s for user %s until their case %s is verified",
                kind, describe(realm, kind, targetId), onboardingCase.getUserId(), onboardingCase.getId());
        return held;
    }

    /** A grant as people read it: realm role name, "client/role", or group path. */
    public static String describe(RealmModel realm, DeferredGrantEntity.Kind kind, String targetId) {
        switch (kind) {
            case GROUP -> {
                GroupModel group = realm.getGroupById(targetId);
                return group == null ? "(deleted group " + targetId + ")" : ModelToRepresentation.buildGroupPath(group);
            }
            default -> {
                RoleModel role = realm.getRoleById(targetId);
                if (role == null) {
                    return "(deleted role " + targetId + ")";
                }
                return role.isClientRole() && role.getContainer() instanceof ClientModel client
                        ? client.getClientId() + "/" + role.getName()
                        : role.getName();
            }
        }
    }

    /**
     * A user is being deleted. While their case is open (pending or suspended) the deletion is refused:
     * deleting a hire and creating them again would be a clean account without the case's history,
     * signals and held grants, so the case must be rejected first, with a reason and by a named admin.
     * A closed or verified case goes with the user, recorded with whoever deleted them and announced.
     */
    public void deleteCaseOf(UserModel removed) {
        store.findByUser(realm.getId(), removed.getId()).ifPresent(removedCase -> {
            // Refused for a person's request: an admin (bearer token) or the hire themself (Keycloak's Delete
            // Account action, inside their login). Keycloak's own clean-up outside a login (a federated user gone
            // from the directory) is let through, recorded and announced: refusing it would break every lookup
            // of that user.
            if (!removedCase.getStage().isFinal()
                    && removedCase.getStage() != Stage.VERIFIED
                    && (Users.ofBearerToken(session).isPresent() || duringLogin())) {
                session.getTransactionManager().setRollbackOnly();
                throw ApiError.conflict(
                        "case_open",
                        "User '" + removed.getUsername() + "' has an open onboarding case (stage "
                                + removedCase.getStage() + "): reject the case first, then delete the user");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("username", removed.getUsername());
            details.put("email", removed.getEmail());
            recordDeletion(removedCase, Actors.current(session), details);
        });
        session.removeAttribute(requestCacheKey(removed.getId()));
    }

    /**
     * Rolls the request back even where Keycloak commits on its own before answering (a user update
     * does): the commit's first phase fails with {@code error}, which is the answer the caller gets.
     */
    private void refuseAtCommit(ApiError error) {
        session.getTransactionManager().setRollbackOnly();
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                throw error;
            }

            @Override
            protected void rollbackImpl() {
                // Nothing of its own to undo.
            }
        });
    }

    /**
     * The removal happens inside a login: Keycloak's Delete Account action (the login's own user, who
     * can no longer be looked up by then), or a clean-up that a login set off; either way a person's
     * request, refused like an admin's.
     */
    private boolean duringLogin() {
        return session.getContext().getAuthenticationSession() != null;
    }

    /** How a case lost its user when Keycloak removed the user without an event; named in the trail. */
    public static final String REMOVED_WITH_FEDERATION_PROVIDER = "federation_provider_deleted";

    public static final String REMOVED_WITHOUT_EVENT = "removed_without_event";

    /**
     * Open cases of this realm whose user Keycloak removed without the per-user event: a user
     * federation's imported users, removed in bulk by its <em>Remove imported users</em> action (which
     * needs only {@code manage-users} and sends no admin event). Nothing could refuse that or name who
     * did it. The case is not deleted — its history, signals and ceremonies stay for the auditors — but
     * rejected by an unknown actor, and the removal is recorded and announced as {@code case.deleted}.
     *
     * @return how many cases were rejected
     */
    public int rejectOrphans(int max) {
        int rejected = 0;
        for (OnboardingCaseEntity orphan : store.orphaned(realm.getId(), max)) {
            // Looked at through Keycloak too: a cache or another node may know the user after all.
            if (session.users().getUserById(realm, orphan.getUserId()) != null) {
                continue;
            }
            LOG.warnf(
                    "Realm %s: the user of open onboarding case %s (stage %s) was removed without an event; the case is rejected",
                    realm.getName(), orphan.getId(), orphan.getStage());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("caseId", orphan.getId());
            details.put("removal", REMOVED_WITHOUT_EVENT);
            details.put("stage", orphan.getStage().name());
            details.put("deletedBy", Actors.UNKNOWN);
            AuditLog.append(session, realm.getId(), Actors.UNKNOWN, orphan.getUserId(), "case.deleted", details);
            WebhookOutbox.publish(session, realm, WebhookEvents.CASE_DELETED, details);
            apply(
                    orphan,
                    StageEvent.REJECT,
                    Actors.UNKNOWN,
                    "the user was removed without an event (a user federation's bulk removal)");
            rejected++;
        }
        return rejected;
    }

    /**
     * A user federation provider is about to be deleted (Keycloak sends the admin event first) and takes
     * its imported users with it, in bulk and without a per-user event. While one of them has an open
     * case the deletion is refused, as deleting that user would be: the request is rolled back and the
     * attempt recorded apart. Otherwise their cases are recorded as deleted by the admin, while the
     * users can still be named, and go.
     *
     * @return whether the deletion was refused
     */
    public boolean deleteCasesOfFederation(String componentId, String actor) {
        List<OnboardingCaseEntity> cases = store.ofFederation(realm.getId(), componentId);
        List<String> open = cases.stream()
                .filter(c -> CaseStore.OPEN_STAGES.contains(c.getStage()))
                .map(OnboardingCaseEntity::getId)
                .toList();
        if (!open.isEmpty()) {
            session.getTransactionManager().setRollbackOnly();
            LOG.warnf(
                    "Realm %s: refused the deletion of user federation provider %s by %s: its users include hires with open cases %s",
                    realm.getName(), componentId, actor, open);
            AuditLog.appendApart(
                    session,
                    realm.getId(),
                    actor,
                    null,
                    "federation.deletion_refused",
                    Map.of("componentId", componentId, "openCases", open));
            return true;
        }
        for (OnboardingCaseEntity removedCase : cases) {
            UserModel removed = session.users().getUserById(realm, removedCase.getUserId());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("removal", REMOVED_WITH_FEDERATION_PROVIDER);
            details.put("username", removed == null ? null : removed.getUsername());
            details.put("email", removed == null ? null : removed.getEmail());
            recordDeletion(removedCase, actor, details);
        }
        return false;
    }

    /**
     * An admin linked the account of a hire with an open case to a user federation provider it did not
     * belong to when the case was opened. That provider's <em>Remove imported users</em> would then
     * remove the account in bulk, without the event that keeps an open case from being deleted, so the
     * change is refused: the request is rolled back and the attempt recorded apart. Unlinking (no
     * provider) is left alone: the account stays.
     *
     * @return whether the change was refused
     */
    public boolean refuseForeignFederationLink(UserModel user, String actor) {
        String link = user.getFederationLink();
        if (link == null) {
            return false;
        }
        Optional<OnboardingCaseEntity> onboardingCase = store.findByUser(realm.getId(), user.getId());
        if (onboardingCase.isEmpty()
                || !CaseStore.OPEN_STAGES.contains(onboardingCase.get().getStage())
                || link.equals(onboardingCase.get().getFederationLink())) {
            return false;
        }
        refuseAtCommit(ApiError.forbidden(
                "federation_link",
                "User '" + user.getUsername() + "' has an open onboarding case: "
                        + "their account cannot be linked to another user federation provider"));
        LOG.warnf(
                "Realm %s: refused linking hire %s (open case %s) to user federation provider %s by %s",
                realm.getName(), user.getUsername(), onboardingCase.get().getId(), link, actor);
        AuditLog.appendApart(
                session,
                realm.getId(),
                actor,
                user.getId(),
                "user.federation_link_refused",
                Map.of("caseId", onboardingCase.get().getId(), "federationLink", link));
        return true;
    }

    private void recordDeletion(OnboardingCaseEntity removedCase, String actor, Map<String, Object> about) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", removedCase.getId());
        details.putAll(about);
        details.put("stage", removedCase.getStage().name());
        details.put("deletedBy", actor);
        AuditLog.append(session, realm.getId(), actor, removedCase.getUserId(), "case.deleted", details);
        WebhookOutbox.publish(session, realm, WebhookEvents.CASE_DELETED, details);
        store.delete(removedCase);
    }

    /** After the deadline or sponsor changed: sessions keep running, their notes follow. */
    public void refreshSessionNotes(OnboardingCaseEntity onboardingCase) {
        UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
        if (user != null) {
            SessionNotes.update(session, realm, user, onboardingCase);
        }
    }

    private static final String APPLYING_APPROVED_GRANTS = "onboarding-guard.applying-approved-grants";

    /**
     * Whether the grants being made now are deferred or held grants applied at verification: whoever
     * asked for them was checked when they were recorded, not the verifier whose result applies them.
     */
    public static boolean applyingApprovedGrants(KeycloakSession session) {
        return session.getAttribute(APPLYING_APPROVED_GRANTS) != null;
    }

    /**
     * The held grants are made while the session says so: the appointment check lets them pass (whoever
     * asked for them was checked when they were recorded, not the verifier whose result applies them).
     */
    private void applyApprovedGrants(OnboardingCaseEntity onboardingCase, UserModel user) {
        session.setAttribute(APPLYING_APPROVED_GRANTS, Boolean.TRUE);
        try {
            applyDeferredGrants(onboardingCase, user);
        } finally {
            session.removeAttribute(APPLYING_APPROVED_GRANTS);
        }
    }

    private void applyDeferredGrants(OnboardingCaseEntity onboardingCase, UserModel user) {
        List<String> missing = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (DeferredGrantEntity grant : onboardingCase.getDeferredGrants()) {
            if (grant.getAppliedAt() != null) {
                // Applied at an earlier verification; what was taken back since is held anew.
                continue;
            }
            grant.setAppliedAt(now);
            switch (grant.getKind()) {
                case REALM_ROLE, CLIENT_ROLE -> {
                    RoleModel role = realm.getRoleById(grant.getTargetId());
                    if (role == null) {
                        missing.add(grant.getKind() + " " + grant.getTargetId());
                    } else {
                        user.grantRole(role);
                    }
                }
                case GROUP -> {
                    GroupModel group = realm.getGroupById(grant.getTargetId());
                    if (group == null) {
                        missing.add("GROUP " + grant.getTargetId());
                    } else {
                        user.joinGroup(group);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            LOG.warnf("Case %s: deferred grants no longer exist and were skipped: %s", onboardingCase.getId(), missing);
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
