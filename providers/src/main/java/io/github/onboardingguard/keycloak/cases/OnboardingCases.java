package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.onboarding.StageMachine;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
    public record Grant(DeferredGrantEntity.Kind kind, String targetId) {
    }

    public OnboardingCaseEntity open(UserModel hire, UserModel sponsor, String actor, long deadline, List<Grant> grants) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        long now = System.currentTimeMillis();
        OnboardingCaseEntity onboardingCase = new OnboardingCaseEntity();
        onboardingCase.setId(UUID.randomUUID().toString());
        onboardingCase.setRealmId(realm.getId());
        onboardingCase.setUserId(hire.getId());
        onboardingCase.setStage(Stage.INVITED);
        onboardingCase.setSponsorId(sponsor == null ? null : sponsor.getId());
        onboardingCase.setCreatedBy(actor);
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
        store.persist(onboardingCase);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("stage", Stage.INVITED.name());
        details.put("sponsorId", onboardingCase.getSponsorId());
        details.put("deadline", Instants.iso(deadline));
        details.put("deferredGrants", grants.stream().map(g -> g.kind() + " " + g.targetId()).toList());
        AuditLog.append(session, realm.getId(), actor, hire.getId(), "case.created", details);

        RoleModel probationary = realm.getRole(policy.probationaryRole());
        if (probationary != null) {
            hire.grantRole(probationary);
        } else {
            LOG.warnf("Realm %s has no probationary role '%s'; hire %s relies on the case marker only",
                    realm.getName(), policy.probationaryRole(), hire.getUsername());
        }
        hire.setSingleAttribute(MARKER_ATTRIBUTE, onboardingCase.getId());
        session.removeAttribute(requestCacheKey(hire.getId()));
        return onboardingCase;
    }

    /**
     * Applies an event; refuses it with {@link io.github.onboardingguard.onboarding.IllegalTransitionException}
     * if the stage machine does not allow it, before anything is changed.
     */
    public Stage apply(OnboardingCaseEntity onboardingCase, StageEvent event, String actor, String reason) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Stage from = onboardingCase.getStage();
        Stage to = StageMachine.next(from, event, onboardingCase.getSuspendedFrom(), policy.documentStepRequired());
        long now = System.currentTimeMillis();

        onboardingCase.setSuspendedFrom(to == Stage.SUSPENDED ? from : null);
        if (event == StageEvent.FIRST_LOGIN) {
            onboardingCase.setProbationStartedAt(now);
        }
        onboardingCase.setStage(to);
        recordChange(onboardingCase, from, to, actor, reason, now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("event", event.name());
        details.put("from", from.name());
        details.put("to", to.name());
        details.put("reason", reason);
        AuditLog.append(session, realm.getId(), actor, onboardingCase.getUserId(), "case.stage_changed", details);
        session.removeAttribute(requestCacheKey(onboardingCase.getUserId()));

        UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
        if (user == null) {
            return to;
        }
        if (to.blocksLogin()) {
            user.setEnabled(false);
            UserSessions.revokeAll(session, realm, user);
        } else if (from == Stage.SUSPENDED) {
            user.setEnabled(true);
        }
        if (to == Stage.VERIFIED && from != Stage.SUSPENDED) {
            promote(onboardingCase, user, policy);
        }
        if (!to.blocksLogin() && to != Stage.VERIFIED && event != StageEvent.REVERIFY) {
            // Sessions stay (first login, document step, reinstatement): keep their notes current.
            SessionNotes.update(session, realm, user, onboardingCase);
        }
        if (event == StageEvent.REVERIFY) {
            RoleModel probationary = realm.getRole(policy.probationaryRole());
            if (probationary != null) {
                user.grantRole(probationary);
            }
            UserSessions.revokeAll(session, realm, user);
        }
        return to;
    }

    /**
     * The user is being deleted: the case goes with them, the audit trail keeps an entry that
     * records who was removed and the case's last stage.
     */
    public void deleteCaseOf(UserModel removed) {
        store.findByUser(realm.getId(), removed.getId()).ifPresent(removedCase -> {
            AuditLog.append(session, realm.getId(), Actors.USER_REMOVED, removed.getId(), "case.deleted", Map.of(
                    "caseId", removedCase.getId(), "username", removed.getUsername(), "stage", removedCase.getStage().name()));
            store.delete(removedCase);
        });
        session.removeAttribute(requestCacheKey(removed.getId()));
    }

    /** After the deadline or sponsor changed: sessions keep running, their notes follow. */
    public void refreshSessionNotes(OnboardingCaseEntity onboardingCase) {
        UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
        if (user != null) {
            SessionNotes.update(session, realm, user, onboardingCase);
        }
    }

    /** Grants the deferred access, ends probation and makes the hire log in again to get it. */
    private void promote(OnboardingCaseEntity onboardingCase, UserModel user, OnboardingPolicy policy) {
        List<String> missing = new ArrayList<>();
        for (DeferredGrantEntity grant : onboardingCase.getDeferredGrants()) {
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
        RoleModel probationary = realm.getRole(policy.probationaryRole());
        if (probationary != null) {
            user.deleteRoleMapping(probationary);
        }
        UserSessions.revokeAll(session, realm, user);
    }

    private static void recordChange(OnboardingCaseEntity onboardingCase, Stage from, Stage to, String actor,
                                     String reason, long at) {
        StageChangeEntity change = new StageChangeEntity();
        change.setId(UUID.randomUUID().toString());
        change.setOnboardingCase(onboardingCase);
        change.setFromStage(from);
        change.setToStage(to);
        change.setActor(actor);
        change.setReason(reason);
        change.setAt(at);
        onboardingCase.getHistory().add(change);
    }
}
