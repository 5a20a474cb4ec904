package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.webhooks.WebhookEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.StorageId;

/**
 * What happens to a case when its account goes: a person's deletion of an open case is refused;
 * Keycloak's own removals (a user federation's bulk removal, its clean-up of users a provider no
 * longer has) cannot be, so they are recorded, announced and the open case rejected and kept.
 */
public final class CaseRemovals {

    private static final Logger LOG = Logger.getLogger(CaseRemovals.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CaseStore store;

    public CaseRemovals(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new CaseStore(session);
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
            // from the directory) cannot be refused without breaking every lookup of that user.
            boolean open = CaseStore.OPEN_STAGES.contains(removedCase.getStage());
            if (open && (Users.ofBearerToken(session).isPresent() || duringLogin())) {
                session.getTransactionManager().setRollbackOnly();
                throw ApiError.conflict(
                        "case_open",
                        "User '" + removed.getUsername() + "' has an open onboarding case (stage "
                                + removedCase.getStage() + "): reject the case first, then delete the user");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("username", removed.getUsername());
            details.put("email", removed.getEmail());
            if (open) {
                // Keycloak removes the account itself (a federated user its provider no longer has): the open
                // case is not erased with it but rejected and kept.
                details.put("removal", REMOVED_BY_KEYCLOAK);
                LOG.warnf(
                        "Realm %s: Keycloak removed hire %s with open onboarding case %s (stage %s); the case is rejected",
                        realm.getName(), removed.getUsername(), removedCase.getId(), removedCase.getStage());
                recordRemoval(removedCase, Actors.current(session), details);
                new OnboardingCases(session, realm)
                        .rejectWithoutAccount(
                                removedCase,
                                "the account was removed by Keycloak (its user federation no longer has it)");
                return;
            }
            recordRemoval(removedCase, Actors.current(session), details);
            store.delete(removedCase);
        });
        new CaseLookup(session, realm).forget(removed.getId());
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
    public static final String REMOVED_BY_KEYCLOAK = "removed_by_keycloak";

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
            recordRemoval(orphan, Actors.UNKNOWN, Map.of("removal", REMOVED_WITHOUT_EVENT));
            new OnboardingCases(session, realm)
                    .rejectWithoutAccount(
                            orphan, "the user was removed without an event (a user federation's bulk removal)");
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
            recordRemoval(removedCase, actor, details);
            store.delete(removedCase);
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
        // A user of a federation that does not import carries its provider in its id.
        String ownProvider = StorageId.isLocalStorage(user.getId()) ? null : StorageId.providerId(user.getId());
        if (onboardingCase.isEmpty()
                || !CaseStore.OPEN_STAGES.contains(onboardingCase.get().getStage())
                || link.equals(onboardingCase.get().getFederationLink())
                || link.equals(ownProvider)) {
            return false;
        }
        Refusals.atCommit(
                session,
                ApiError.forbidden(
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

    /** The trail entry and the webhook {@code case.deleted}: the case's account is gone. */
    private void recordRemoval(OnboardingCaseEntity removedCase, String actor, Map<String, Object> about) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", removedCase.getId());
        details.putAll(about);
        details.put("stage", removedCase.getStage().name());
        details.put("deletedBy", actor);
        AuditLog.append(session, realm.getId(), actor, removedCase.getUserId(), "case.deleted", details);
        WebhookOutbox.publish(session, realm, WebhookEvents.CASE_DELETED, details);
    }
}
