package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * The one way to ask who has an onboarding case: the cheap pre-check on the cached user (the case
 * marker attribute, the probationary role), the per-request memo of the database answer and its
 * clearing, and the repair of the marker and the narrowing time when someone takes them away.
 */
public final class CaseLookup {

    private static final Logger LOG = Logger.getLogger(CaseLookup.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CaseStore store;

    public CaseLookup(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new CaseStore(session);
    }

    /**
     * Set on every user that has a case. Together with the probationary role it lets the login
     * gate and the token mapper skip users without a case without touching the database.
     */
    public static final String MARKER_ATTRIBUTE = "onboarding-case";

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

    /**
     * The user's case from the database, whatever the user carries: for the few places that must not
     * trust the pre-check (a dossier, an admin's update that may have taken the marker away).
     */
    public Optional<OnboardingCaseEntity> fromDatabase(UserModel user) {
        return store.findByUser(realm.getId(), user.getId());
    }

    /** Forgets the memo of this user's case: the next question reads the database. */
    public void forget(String userId) {
        session.removeAttribute(requestCacheKey(userId));
    }

    private String requestCacheKey(String userId) {
        return "onboarding-guard.case." + realm.getId() + "." + userId;
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
}
