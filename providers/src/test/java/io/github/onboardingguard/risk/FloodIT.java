package io.github.onboardingguard.risk;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Floods: a stranger who only knows a hire's username, and a hire who repeats what is refused,
 * must neither fill the trail and the alert queue nor push the hire into anything.
 */
@DisplayName("Repeated events are counted, not recorded one by one")
class FloodIT extends KeycloakIntegrationTest {

    private static List<Object> auditItems(DemoRealm realm, String query) {
        Api.Reply reply = Api.get(
                "/realms/" + realm.name + "/onboarding/audit/entries?limit=500&" + query,
                realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JsonFields.list(reply.json(), "items");
    }

    private static List<Object> signals(DemoRealm realm, String caseId, String rule) {
        return JsonFields.list(realm.getCase(caseId), "signals").stream()
                .filter(s -> rule.equals(JsonFields.at(s, "rule")))
                .toList();
    }

    @Test
    @DisplayName(
            "given a stranger who sends 40 wrong passwords for a hire's username, then the trail holds a single failure "
                    + "entry with Keycloak's count, one burst signal alerts, and the hire is put into no required action")
    void strangersWrongPasswords() {
        DemoRealm realm = DemoRealm.importFresh("flood-passwords");
        String caseId = realm.hireInProbation("targeted", Map.of());
        for (int i = 0; i < 40; i++) {
            Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "targeted", "wrong-" + i);
        }

        // One entry for the wrong passwords (the window folds the rest); none for the attempts Keycloak's lockout
        // turned away. The count is the burst signal's.
        List<Object> failures = auditItems(realm, "subject=targeted&type=login.LOGIN_ERROR");
        assertThat(failures).singleElement().satisfies(entry -> {
            assertThat(JsonFields.at(entry, "details.error")).isEqualTo("invalid_user_credentials");
            assertThat(JsonFields.at(entry, "details.foldedFor")).isEqualTo("PT1M");
        });
        assertThat(signals(realm, caseId, "failed_login_burst")).singleElement().satisfies(signal -> {
            assertThat(JsonFields.at(signal, "action")).isEqualTo("ALERT");
            assertThat(((Number) JsonFields.at(signal, "evidence.failures")).intValue())
                    .isGreaterThanOrEqualTo(5);
        });
        assertThat(realm.user(realm.userIdOf("targeted")).getRequiredActions()).isEmpty();
    }

    @Test
    @DisplayName(
            "given a hire who tries the closed client again and again, and a held role granted twice, then one "
                    + "restricted-client signal counts the repeats, one failure entry is in the trail, and the held role is signalled once")
    void hireRepeatsWhatIsRefused() {
        DemoRealm realm = DemoRealm.importFresh("flood-hire");
        String caseId = realm.hireInProbation("persistent", Map.of());
        for (int i = 0; i < 6; i++) {
            assertThat(Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "persistent", PASSWORD)
                            .status())
                    .isEqualTo(400);
        }
        assertThat(signals(realm, caseId, "restricted_client"))
                .singleElement()
                .satisfies(
                        signal -> assertThat(JsonFields.at(signal, "repeats")).isEqualTo(5));
        assertThat(auditItems(realm, "subject=persistent&type=login.LOGIN_ERROR"))
                .hasSize(1);

        String userId = realm.userIdOf("persistent");
        realm.grantClientRole(userId, "realm-management", "view-users");
        realm.grantClientRole(userId, "realm-management", "view-users");
        assertThat(signals(realm, caseId, "privileged_grant"))
                .singleElement()
                .satisfies(
                        signal -> assertThat(JsonFields.at(signal, "repeats")).isEqualTo(0));
    }
}
