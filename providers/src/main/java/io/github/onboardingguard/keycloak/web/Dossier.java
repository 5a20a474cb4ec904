package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.audit.ActorNames;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.CaseViews;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.StageChangeEntity;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import io.github.onboardingguard.onboarding.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The auditor's dossier of one hire: profile, case with history and grants, verifications,
 * ceremonies, risk signals, their audit entries and Keycloak's stored login events of their
 * onboarding period. Only people who have or had a case have one: the auditor role is about
 * onboarding, not a way around Keycloak's own {@code view-events} for the rest of the realm.
 * Each part comes from the capability that owns it; this class only puts them side by side.
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

    Map<String, Object> of(UserModel user, OnboardingCaseEntity onboardingCase) {
        Map<String, Object> view = new LinkedHashMap<>();
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", user.getId());
        person.put("username", user.getUsername());
        person.put("email", user.getEmail());
        person.put("firstName", user.getFirstName());
        person.put("lastName", user.getLastName());
        person.put("enabled", user.isEnabled());
        view.put("user", person);

        view.put("case", new CaseViews(session, realm).detail(onboardingCase, System.currentTimeMillis()));
        view.putAll(new VerificationViews(session, realm).records(onboardingCase));
        ActorNames names = new ActorNames(session, realm);
        view.put(
                "auditEntries",
                new AuditStore(session)
                                .page(
                                        realm.getId(),
                                        new AuditStore.Filter(user.getId(), null, null, null, null),
                                        0,
                                        AUDIT_ENTRIES)
                                .stream()
                                .map(entry -> AuditResource.entryView(entry, names))
                                .toList());
        Long periodEnd = onboardingPeriodEnd(onboardingCase);
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("from", Instants.iso(onboardingCase.getCreatedAt()));
        period.put("to", periodEnd == null ? null : Instants.iso(periodEnd));
        view.put("onboardingPeriod", period);
        view.put("loginEvents", loginEvents(user, onboardingCase.getCreatedAt(), periodEnd));
        return view;
    }

    /**
     * When onboarding ended: the last move into VERIFIED, EXPIRED or REJECTED while the case still
     * sits there; open (null) while it is pending or suspended, which may still be undone.
     */
    static Long onboardingPeriodEnd(OnboardingCaseEntity onboardingCase) {
        Stage stage = onboardingCase.getStage();
        if (stage != Stage.VERIFIED && stage != Stage.EXPIRED && stage != Stage.REJECTED) {
            return null;
        }
        return onboardingCase.getHistory().stream()
                .filter(change -> change.getToStage() == stage)
                .map(StageChangeEntity::getAt)
                .max(Long::compare)
                .orElse(null);
    }

    private List<Map<String, Object>> loginEvents(UserModel user, long from, Long to) {
        EventStoreProvider events = session.getProvider(EventStoreProvider.class);
        if (events == null) {
            return List.of();
        }
        List<Map<String, Object>> list = new ArrayList<>();
        var query = events.createQuery().realm(realm.getId()).user(user.getId()).fromDate(from);
        if (to != null) {
            query = query.toDate(to);
        }
        query.maxResults(LOGIN_EVENTS).getResultStream().forEach(event -> {
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
