package io.github.onboardingguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

@DisplayName("Onboarding policy, as the admin console edits it")
class OnboardingPolicyIT extends KeycloakIntegrationTest {

    private static final String PROVIDER_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    private static DemoRealm realm;
    private static ComponentRepresentation stored;

    @BeforeAll
    static void importRealm() {
        realm = DemoRealm.importFresh("policy");
        org.keycloak.representations.idm.ClientRepresentation wiki =
                new org.keycloak.representations.idm.ClientRepresentation();
        wiki.setClientId("legacy-wiki");
        wiki.setProtocol("saml");
        realm.resource.clients().create(wiki).close();
        stored = realm.resource
                .components()
                .query(realm.resource.toRepresentation().getId(), PROVIDER_TYPE)
                .get(0);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "probationDays|0|between 1 and 365",
                "probationDays|soon|whole number",
                "probationaryRole|no-such-role|does not exist",
                "probationClients|no-such-client|does not exist",
                "probationClients|legacy-wiki|is a SAML client",
                "tokenRoleAllowList|a b|must be 'role'",
                "documentStepRequired|perhaps|true or false"
            })
    @DisplayName("refuses an invalid value with a message that says what is wrong, and keeps the stored policy")
    void refusesInvalidValues(String key, String value, String message) {
        ComponentRepresentation update = copyOf(stored);
        update.getConfig().put(key, List.of(value));
        try {
            realm.resource.components().component(stored.getId()).update(update);
            throw new AssertionError("update was accepted");
        } catch (jakarta.ws.rs.BadRequestException e) {
            String body = e.getResponse().readEntity(String.class);
            assertThat(body).contains(key).contains(message);
        }
        assertThat(realm.resource
                        .components()
                        .component(stored.getId())
                        .toRepresentation()
                        .getConfig())
                .isEqualTo(stored.getConfig());
    }

    @Test
    @DisplayName("refuses a second policy in the same realm")
    void onePolicyPerRealm() {
        ComponentRepresentation second = copyOf(stored);
        second.setId(null);
        second.setName("Second policy");
        try (Response response = realm.resource.components().add(second)) {
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.readEntity(String.class)).contains("already has an onboarding policy");
        }
    }

    @Test
    @DisplayName("a saved change takes effect at the next login")
    void changeTakesEffect() {
        DemoRealm own = DemoRealm.importFresh("policy-change");
        own.createHireWithPassword("policy-hire", Map.of());
        assertThat(Tokens.passwordGrant(
                                own.name,
                                DemoRealm.CLOSED_CLIENT,
                                DemoRealm.CLOSED_CLIENT_SECRET,
                                "policy-hire",
                                DemoRealm.PASSWORD)
                        .status())
                .isEqualTo(400);

        ComponentRepresentation policy = own.resource
                .components()
                .query(own.resource.toRepresentation().getId(), PROVIDER_TYPE)
                .get(0);
        policy.getConfig().put("probationClients", List.of("hr-portal", "source-code"));
        own.resource.components().component(policy.getId()).update(policy);

        assertThat(Tokens.passwordGrant(
                                own.name,
                                DemoRealm.CLOSED_CLIENT,
                                DemoRealm.CLOSED_CLIENT_SECRET,
                                "policy-hire",
                                DemoRealm.PASSWORD)
                        .status())
                .isEqualTo(200);
    }

    private static ComponentRepresentation copyOf(ComponentRepresentation source) {
        ComponentRepresentation copy = new ComponentRepresentation();
        copy.setId(source.getId());
        copy.setName(source.getName());
        copy.setProviderId(source.getProviderId());
        copy.setProviderType(source.getProviderType());
        copy.setParentId(source.getParentId());
        copy.setConfig(new MultivaluedHashMap<>(source.getConfig()));
        return copy;
    }
}
