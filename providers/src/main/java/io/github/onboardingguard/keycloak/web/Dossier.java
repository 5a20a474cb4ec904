package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.CaseViews;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The auditor's dossier of one person: profile, case with history and grants, verifications,
 * ceremonies, risk signals, their audit entries and Keycloak's stored login events. Each part
 * comes from the capability that owns it; this class only puts them side by side.
 */
final class Dossier {

    static final int AUDIT_ENTRIES = 1000;
    static final int LOGIN_EVENTS = 200;

    private final KeycloakSession session;
    private final RealmModel realm;

    Dossier(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    Map<String, Object> of(UserModel user) {
        Map<String, Object> view = new LinkedHashMap<>();
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", user.getId());
        person.put("username", user.getUsername());
        person.put("email", user.getEmail());
        person.put("firstName", user.getFirstName());
        person.put("lastName", user.getLastName());
        person.put("enabled", user.isEnabled());
        view.put("user", person);

        OnboardingCaseEntity onboardingCase = new CaseStore(session).findByUser(realm.getId(), user.getId()).orElse(null);
        if (onboardingCase != null) {
            view.put("case", new CaseViews(session, realm).detail(onboardingCase, System.currentTimeMillis()));
            view.putAll(new VerificationViews(session, realm).records(onboardingCase));
        } else {
            view.put("case", null);
        }
        view.put("auditEntries", new AuditStore(session).page(realm.getId(),
                        new AuditStore.Filter(user.getId(), null, null, null, null), 0, AUDIT_ENTRIES)
                .stream().map(AuditResource::entryView).toList());
        view.put("loginEvents", loginEvents(user));
        return view;
    }

    private List<Map<String, Object>> loginEvents(UserModel user) {
        EventStoreProvider events = session.getProvider(EventStoreProvider.class);
        if (events == null) {
            return List.of();
        }
        List<Map<String, Object>> list = new ArrayList<>();
        events.createQuery().realm(realm.getId()).user(user.getId()).maxResults(LOGIN_EVENTS)
                .getResultStream().forEach(event -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("time", Instants.iso(event.getTime()));
                    row.put("type", event.getType().name());
                    row.put("clientId", event.getClientId());
                    row.put("ipAddress", event.getIpAddress());
                    row.put("error", event.getError());
                    row.put("details", event.getDetails());
                    list.add(row);
                });
        return list;
    }
}
