package io.github.onboardingguard.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Probation token filter: which roles stay in a hire's token")
class ProbationTokenFilterTest {

    private final ProbationTokenFilter filter = new ProbationTokenFilter(
            OnboardingPolicy.parse(Map.of(
                    OnboardingPolicy.TOKEN_ROLE_ALLOW_LIST,
                    List.of("onboarding-probationary", "default-roles-*", "account/view-profile", "hr-portal/*"))),
            "default-roles-acme");

    @Test
    @DisplayName("realm roles: exact names and realm-level wildcards stay, everything else goes")
    void realmRoles() {
        assertThat(filter.realmRoles(List.of(
                        "onboarding-probationary", "default-roles-acme", "default-roles-eng", "admin", "employee")))
                .containsExactly("onboarding-probationary", "default-roles-acme");
    }

    @Test
    @DisplayName("a realm-level wildcard does not reach client roles, nor a client wildcard realm roles")
    void wildcardScopes() {
        assertThat(filter.clientRoles(Map.of("source-code", List.of("default-roles-x"))))
                .isEmpty();
        assertThat(filter.realmRoles(List.of("hr-portal/anything"))).isEmpty();
    }

    @Test
    @DisplayName("client roles: allowed ones stay per client, clients left without a role are dropped")
    void clientRoles() {
        Map<String, Set<String>> kept = filter.clientRoles(Map.of(
                "account", List.of("view-profile", "manage-account"),
                "hr-portal", List.of("reader", "writer"),
                "source-code", List.of("push")));
        assertThat(kept).containsOnlyKeys("account", "hr-portal");
        assertThat(kept.get("account")).containsExactly("view-profile");
        assertThat(kept.get("hr-portal")).containsExactlyInAnyOrder("reader", "writer");
    }

    @Test
    @DisplayName("claim names of mappers: dots nest, escaped dots do not")
    void claimPaths() {
        assertThat(ProbationTokenFilter.claimPath("roles")).containsExactly("roles");
        assertThat(ProbationTokenFilter.claimPath("org.team.roles")).containsExactly("org", "team", "roles");
        assertThat(ProbationTokenFilter.claimPath("org\\.team.roles")).containsExactly("org.team", "roles");
    }

    @Test
    @DisplayName("nothing in, nothing out")
    void empty() {
        assertThat(filter.realmRoles(List.of())).isEmpty();
        assertThat(filter.clientRoles(Map.of())).isEmpty();
    }

    @Test
    @DisplayName("the verification level relying apps see follows the stage")
    void verificationLevel() {
        assertThat(Stage.VERIFIED.verificationLevel()).isEqualTo("verified");
        assertThat(Stage.DOCUMENT_VERIFIED.verificationLevel()).isEqualTo("document");
        for (Stage stage : List.of(Stage.INVITED, Stage.PROBATION, Stage.SUSPENDED, Stage.EXPIRED, Stage.REJECTED)) {
            assertThat(stage.verificationLevel()).as(stage.name()).isEqualTo("none");
        }
    }
}
