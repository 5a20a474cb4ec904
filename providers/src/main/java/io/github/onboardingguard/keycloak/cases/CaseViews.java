package io.github.onboardingguard.keycloak.cases;

import static io.github.onboardingguard.keycloak.support.Instants.iso;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.ModelToRepresentation;
import io.github.onboardingguard.keycloak.support.Users;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        view.put("sponsor", c.getSponsorId() == null ? null : userRef(c.getSponsorId(), Users.username(session, realm, c.getSponsorId())));
        view.put("createdBy", c.getCreatedBy());
        view.put("createdAt", iso(c.getCreatedAt()));
        view.put("probationStartedAt", iso(c.getProbationStartedAt()));
        view.put("deadline", iso(c.getDeadline()));
        view.put("overdue", c.getStage().isPending() && c.getDeadline() < now);
        view.put("verifiedCredentialId", c.getVerifiedCredentialId());
        return view;
    }

    public Map<String, Object> detail(OnboardingCaseEntity c, long now) {
        Map<String, Object> view = summary(c, now);
        view.put("deferredGrants", grants(c));
        List<Map<String, Object>> history = new ArrayList<>();
        for (StageChangeEntity change : c.getHistory()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from", change.getFromStage() == null ? null : change.getFromStage().name());
            row.put("to", change.getToStage().name());
            row.put("at", iso(change.getAt()));
            row.put("actor", change.getActor());
            row.put("reason", change.getReason());
            history.add(row);
        }
        view.put("history", history);
        return view;
    }

    private Map<String, Object> grants(OnboardingCaseEntity c) {
        List<String> realmRoles = new ArrayList<>();
        Map<String, List<String>> clientRoles = new TreeMap<>();
        List<String> groups = new ArrayList<>();
        for (DeferredGrantEntity grant : c.getDeferredGrants()) {
            switch (grant.getKind()) {
                case REALM_ROLE -> {
                    RoleModel role = realm.getRoleById(grant.getTargetId());
                    realmRoles.add(role == null ? "(deleted role " + grant.getTargetId() + ")" : role.getName());
                }
                case CLIENT_ROLE -> {
                    RoleModel role = realm.getRoleById(grant.getTargetId());
                    String clientId = role == null ? "(deleted)" : realm.getClientById(role.getContainerId()).getClientId();
                    clientRoles.computeIfAbsent(clientId, k -> new ArrayList<>())
                            .add(role == null ? "(deleted role " + grant.getTargetId() + ")" : role.getName());
                }
                case GROUP -> {
                    GroupModel group = realm.getGroupById(grant.getTargetId());
                    groups.add(group == null ? "(deleted group " + grant.getTargetId() + ")" : ModelToRepresentation.buildGroupPath(group));
                }
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("realmRoles", realmRoles);
        view.put("clientRoles", clientRoles);
        view.put("groups", groups);
        return view;
    }

    private static Map<String, Object> userRef(String id, String username) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("id", id);
        ref.put("username", username);
        return ref;
    }
}
