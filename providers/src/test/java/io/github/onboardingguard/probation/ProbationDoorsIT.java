package io.github.onboardingguard.probation;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacker this product exists for: a hired-in operator with a valid account in probation,
 * trying every door Keycloak has for more than the allow-list gives, and the admins around them.
 */
@DisplayName("Probation holds at every door")
class ProbationDoorsIT extends KeycloakIntegrationTest {

    private static String auditEntries(DemoRealm realm, String query) {
        Api.Reply reply = Api.get("/realms/" + realm.name + "/onboarding/audit/entries?" + query, realm.tokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body();
    }

    @Nested
    @DisplayName("a privilege granted by hand is held on the case, not given")
    class HeldGrants {

        @Test
        @DisplayName("given realm-admin granted to a hire by mistake, when the hire uses an allowed client's token on "
                + "Keycloak's admin API and the onboarding admin API, then both refuse; the grant waits on the case")
        void handGrantedRealmAdmin() {
            DemoRealm realm = DemoRealm.importFresh("doors-held");
            String caseId = realm.hireInProbation("grabby", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            realm.grantClientRole(userId, "realm-management", "realm-admin");

            String token = realm.tokenOf("grabby");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", token).status()).isEqualTo(403);
            Api.Reply planted = Api.post("/admin/realms/" + realm.name + "/users", token,
                    Api.toJson(Map.of("username", "planted", "enabled", true)));
            assertThat(planted.status()).isEqualTo(403);
            assertThat(realm.resource.users().searchByUsername("planted", true)).isEmpty();
            String farDeadline = Instant.now().plus(80, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            Api.Reply moved = Api.call("PATCH", realm.casesPath() + "/" + caseId, token, Api.toJson(Map.of("deadline", farDeadline)));
            assertThat(moved.status()).isEqualTo(403);
            assertThat(realm.getCase(caseId).get("deadline")).isNotEqualTo(farDeadline);

            // Keycloak's own view of the user, read from the database: the role is not there.
            assertThat(realm.effectiveClientRoles(userId, "realm-management")).doesNotContain("realm-admin", "manage-users", "view-users");
            Map<String, Object> onboardingCase = realm.getCase(caseId);
            assertThat(JsonFields.list(onboardingCase, "deferredGrants.held")).singleElement().satisfies(held -> {
                assertThat(JsonFields.at(held, "grant")).isEqualTo("realm-management/realm-admin");
                assertThat(JsonFields.at(held, "heldAt")).isNotNull();
            });
            assertThat(JsonFields.list(onboardingCase, "signals")).extracting(s -> JsonFields.at(s, "rule")).contains("privileged_grant");
            assertThat(auditEntries(realm, "subject=grabby&type=case.grant_held")).contains("realm-management/realm-admin");
        }

        @Test
        @DisplayName("given a held grant, when the hire is verified, then it is applied once and Keycloak's admin API opens")
        void heldGrantAppliedAtVerification() {
            DemoRealm realm = DemoRealm.importFresh("doors-held-applied");
            String caseId = realm.hireInProbation("patient", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            realm.grantClientRole(userId, "realm-management", "view-users");
            realm.grantClientRole(userId, "realm-management", "view-users");
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held")).hasSize(1);

            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");

            assertThat(realm.effectiveClientRoles(userId, "realm-management")).contains("view-users");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", realm.tokenOf("patient")).status()).isEqualTo(200);
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held")).singleElement()
                    .satisfies(held -> assertThat(JsonFields.at(held, "appliedAt")).isNotNull());
        }

        @Test
        @DisplayName("given a hire added to a group by hand, then the membership is held until verification")
        void handJoinedGroup() {
            DemoRealm realm = DemoRealm.importFresh("doors-group");
            String caseId = realm.hireInProbation("joiner", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            String engineering = realm.resource.groups().groups("engineering", 0, 1).get(0).getId();
            realm.resource.users().get(userId).joinGroup(engineering);

            assertThat(realm.resource.users().get(userId).groups()).isEmpty();
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                    .extracting(h -> JsonFields.at(h, "grant")).containsExactly("/engineering");
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            assertThat(realm.resource.users().get(userId).groups()).extracting(g -> g.getPath()).containsExactly("/engineering");
        }

        @Test
        @DisplayName("a user without a case keeps what an admin grants")
        void userWithoutCaseUntouched() {
            DemoRealm realm = DemoRealm.importFresh("doors-no-case");
            String userId = realm.userIdOf("hiring-manager");
            realm.grantClientRole(userId, "realm-management", "view-users");
            assertThat(realm.effectiveClientRoles(userId, "realm-management")).contains("view-users");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", realm.tokenOf("hiring-manager")).status()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("deferred grants need the creating admin's own right to map them")
    class DeferredGrantPermissions {

        @Test
        @DisplayName("given an admin with manage-users only, when they create a hire with deferred realm-admin, then 403 and nothing is written")
        void manageUsersCannotDeferRealmAdmin() {
            DemoRealm realm = DemoRealm.importFresh("doors-helpdesk");
            String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD, "employee");
            realm.grantClientRole(helpdesk, "realm-management", "manage-users");

            Api.Reply reply = Api.post(realm.casesPath(), realm.tokenOf("helpdesk"), Api.toJson(Map.of(
                    "username", "smuggled", "email", "smuggled@example.com", "sponsor", "hiring-manager",
                    "invitation", Map.of("send", false, "actions", List.of()),
                    "grants", Map.of("clientRoles", Map.of("realm-management", List.of("realm-admin"))))));
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.json()).containsEntry("error", "forbidden").containsEntry("field", "grants.clientRoles.realm-management[0]");
            assertThat(realm.resource.users().searchByUsername("smuggled", true)).isEmpty();

            Api.Reply allowed = Api.post(realm.casesPath(), realm.tokenOf("helpdesk"), Api.toJson(Map.of(
                    "username", "ordinary", "email", "ordinary@example.com", "sponsor", "hiring-manager",
                    "invitation", Map.of("send", false, "actions", List.of()))));
            assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
        }
    }

    @Nested
    @DisplayName("a policy that cannot be read fails closed")
    class BrokenPolicy {

        @Test
        @DisplayName("given a stored policy that no longer parses, then hires are refused and no verification is "
                + "recorded, instead of running on weaker defaults; other users are not affected")
        void invalidPolicyFailsClosed() {
            DemoRealm realm = DemoRealm.importFresh("doors-broken-policy");
            String caseId = realm.hireInProbation("stranded", Map.of());
            // What an older version's policy, a migration or a database edit can leave: the components API would refuse it.
            Api.Reply raw = Api.post("/realms/" + realm.name + "/onboarding-test-hooks/policy/raw?name=probationDays&value=thirty", null, null);
            assertThat(raw.json()).containsEntry("changed", 1);
            realm.resource.clearRealmCache();

            Tokens.TokenResponse hire = Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "stranded", PASSWORD);
            assertThat(hire.status()).as(hire.body().toString()).isEqualTo(400);
            assertThat(hire.body()).containsEntry("error", "invalid_grant");
            assertThat(realm.resource.getEvents(List.of("LOGIN_ERROR"), null, realm.userIdOf("stranded"), null, null, null, 0, 10))
                    .extracting(e -> e.getError()).contains("onboarding_policy_invalid");

            Api.Reply ceremony = VerifierApi.open(realm.name, realm.tokenOf("verifier"), caseId, "DOCUMENT", "VIDEO");
            assertThat(ceremony.status()).as(ceremony.body()).isEqualTo(409);
            assertThat(ceremony.json()).containsEntry("error", "policy_invalid");
            assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "hiring-manager", PASSWORD).status())
                    .isEqualTo(200);
        }
    }
}
