package io.github.onboardingguard.keycloak.cases;

import static io.github.onboardingguard.keycloak.support.Instants.iso;

import io.github.onboardingguard.keycloak.audit.ActorNames;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.support.Users;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** JSON views of cases as documented in docs/admin-api.md. */
public final class CaseViews {

    private final KeycloakSession session;
    private final RealmModel realm;

    public CaseViews(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public Map<String, Object> summary(OnboardingCaseEntity c, long now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.getId());
        view.put("user", userRef(c.getUserId(), Users.username(session, realm, c.getUserId())));
        view.put("stage", c.getStage().name());
        if (c.getSuspendedFrom() != null) {
            view.put("suspendedFrom", c.getSuspendedFrom().name());
        }
        view.put(
                "sponsor",
                c.getSponsorId() == null
                        ? null
                        : userRef(c.getSponsorId(), Users.username(session, realm, c.getSponsorId())));
        view.put("path", c.getPath());
        view.put("createdBy", c.getCreatedBy());
        view.put("createdAt", iso(c.getCreatedAt()));
        view.put("probationStartedAt", iso(c.getProbationStartedAt()));
        view.put("deadline", iso(c.getDeadline()));
        view.put("overdue", c.getStage().isPending() && c.getDeadline() < now);
        view.put("verifiedCredentialId", c.getVerifiedCredentialId());
        view.put("verifiedAt", c.getVerifiedAt() == null ? null : iso(c.getVerifiedAt()));
        // null: not worked out yet, or not verified; absent for "never".
        view.put(
                "reverifyDueAt",
                c.getReverifyDueAt() == null || c.getReverifyDueAt() <= 0 ? null : iso(c.getReverifyDueAt()));
        view.put("invitation", invitation(c, now));
        return view;
    }

    public Map<String, Object> detail(OnboardingCaseEntity c, long now) {
        Map<String, Object> view = summary(c, now);
        view.put("deferredGrants", grants(c));
        HiringRecords.putInto(view, c);
        List<Map<String, Object>> history = new ArrayList<>();
        ActorNames names = new ActorNames(session, realm);
        for (StageChangeEntity change : c.getHistory()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(
                    "from",
                    change.getFromStage() == null ? null : change.getFromStage().name());
            row.put("to", change.getToStage().name());
            row.put("at", iso(change.getAt()));
            row.put("actor", change.getActor());
            row.put("actorName", names.of(change.getActor()));
            row.put("reason", change.getReason());
            history.add(row);
        }
        view.put("history", history);
        return view;
    }

    /** The grants that wait for VERIFIED, by name, and which of them were held from the user. */
    public Map<String, Object> grants(OnboardingCaseEntity c) {
        List<String> realmRoles = new ArrayList<>();
        Map<String, List<String>> clientRoles = new TreeMap<>();
        List<String> groups = new ArrayList<>();
        List<Map<String, Object>> held = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (DeferredGrantEntity grant : c.getDeferredGrants()) {
            String name = HeldGrants.describe(realm, grant.getKind(), grant.getTargetId());
            switch (grant.getKind()) {
                case REALM_ROLE -> realmRoles.add(name);
                case CLIENT_ROLE -> {
                    int slash = name.indexOf('/');
                    clientRoles
                            .computeIfAbsent(slash < 0 ? "(deleted)" : name.substring(0, slash), k -> new ArrayList<>())
                            .add(slash < 0 ? name : name.substring(slash + 1));
                }
                case GROUP -> groups.add(name);
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", grant.getId());
            item.put("kind", grant.getKind().name());
            item.put("grant", name);
            item.put("held", grant.isHeld());
            item.put("appliedAt", iso(grant.getAppliedAt()));
            items.add(item);
            if (grant.isHeld()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", grant.getId());
                row.put("grant", name);
                row.put("kind", grant.getKind().name());
                row.put("heldBy", userRefOrActor(grant.getHeldBy()));
                row.put("heldAt", iso(grant.getHeldAt()));
                row.put("appliedAt", iso(grant.getAppliedAt()));
                held.add(row);
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("realmRoles", realmRoles);
        view.put("clientRoles", clientRoles);
        view.put("groups", groups);
        view.put("held", held);
        view.put("items", items);
        return view;
    }

    /** The invitation the hire may use, when one was sent: its link works until {@code expiresAt}. */
    private static Map<String, Object> invitation(OnboardingCaseEntity c, long now) {
        if (c.getInvitationNonce() == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sentAt", iso(c.getInvitationSentAt()));
        view.put("expiresAt", iso(c.getInvitationExpiresAt()));
        view.put("expired", c.getInvitationExpiresAt() < now);
        return view;
    }

    /** A user id as {id, username}; a system actor name as it is. */
    private Object userRefOrActor(String actor) {
        return actor == null || Actors.isSystem(actor) ? actor : userRef(actor, Users.username(session, realm, actor));
    }

    private static Map<String, Object> userRef(String id, String username) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("id", id);
        ref.put("username", username);
        return ref;
    }
}
