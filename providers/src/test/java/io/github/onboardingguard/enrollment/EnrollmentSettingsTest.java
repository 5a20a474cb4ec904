package io.github.onboardingguard.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Enrollment rules: which new users get a case, read strictly")
class EnrollmentSettingsTest {

    private static EnrollmentSettings parse(Map<String, List<String>> settings) {
        List<String> problems = new ArrayList<>();
        EnrollmentSettings parsed = EnrollmentSettings.parse(settings, problems);
        assertThat(problems).isEmpty();
        return parsed;
    }

    private static NewUser user(
            ProvisioningPath path, String source, Set<String> groups, Map<String, List<String>> attributes) {
        return new NewUser(path, source, groups, Set.of(), attributes);
    }

    @Test
    @DisplayName("without rules nobody is enrolled, and HR's manager attribute names the sponsor")
    void defaults() {
        EnrollmentSettings settings = parse(Map.of());
        assertThat(settings.rules()).isEmpty();
        assertThat(settings.sponsorAttribute()).isEqualTo("manager");
        assertThat(settings.ruleFor(user(ProvisioningPath.ADMIN, null, Set.of(), Map.of())))
                .isEmpty();
    }

    @Test
    @DisplayName("all conditions of a rule must hold; a group rule takes its subgroups; the first matching rule wins")
    void matching() {
        EnrollmentSettings settings = parse(Map.of(
                "enrollmentRules",
                List.of(
                        "identity-provider:corporate group=/engineering attribute=employeeType=new-hire",
                        "scim##registration group=/engineering")));
        EnrollmentRule corporate = settings.rules().get(0);

        assertThat(settings.ruleFor(user(
                        ProvisioningPath.IDENTITY_PROVIDER,
                        "corporate",
                        Set.of("/engineering/platform"),
                        Map.of("employeeType", List.of("new-hire")))))
                .contains(corporate);
        assertThat(settings.ruleFor(user(
                        ProvisioningPath.IDENTITY_PROVIDER,
                        "corporate",
                        Set.of("/engineering-alumni"),
                        Map.of("employeeType", List.of("new-hire")))))
                .as("a group path is matched by segment, not by prefix")
                .isEmpty();
        assertThat(settings.ruleFor(user(
                        ProvisioningPath.IDENTITY_PROVIDER,
                        "corporate",
                        Set.of("/engineering"),
                        Map.of("employeeType", List.of("contractor")))))
                .isEmpty();
        assertThat(settings.ruleFor(user(
                        ProvisioningPath.IDENTITY_PROVIDER,
                        "partner",
                        Set.of("/engineering"),
                        Map.of("employeeType", List.of("new-hire")))))
                .as("another identity provider")
                .isEmpty();
        assertThat(settings.ruleFor(user(ProvisioningPath.SCIM, null, Set.of(), Map.of())))
                .contains(settings.rules().get(1));
        assertThat(settings.ruleFor(user(ProvisioningPath.REGISTRATION, null, Set.of("/sales"), Map.of())))
                .as("not in the group")
                .isEmpty();
        assertThat(settings.ruleFor(user(ProvisioningPath.ADMIN, null, Set.of("/engineering"), Map.of())))
                .isEmpty();
    }

    @Test
    @DisplayName("a path is decided by a rule for it or for all its sources, or by naming it as never bringing hires")
    void decidedPaths() {
        EnrollmentSettings settings = parse(Map.of(
                "enrollmentRules", List.of("identity-provider:corporate attribute=employeeType=new-hire"),
                "enrollmentExempt", List.of("identity-provider:partner", "federation")));
        assertThat(settings.decides(ProvisioningPath.IDENTITY_PROVIDER, "corporate"))
                .isTrue();
        assertThat(settings.decides(ProvisioningPath.IDENTITY_PROVIDER, "partner"))
                .isTrue();
        assertThat(settings.decides(ProvisioningPath.IDENTITY_PROVIDER, "other"))
                .isFalse();
        assertThat(settings.decides(ProvisioningPath.FEDERATION, "any-ldap")).isTrue();
        assertThat(settings.decides(ProvisioningPath.REGISTRATION, null)).isFalse();
        assertThat(settings.ruleFor(user(ProvisioningPath.IDENTITY_PROVIDER, "partner", Set.of(), Map.of())))
                .as("an exempt path enrolls nobody")
                .isEmpty();
    }

    @Test
    @DisplayName("rules survive the policy's round trip in a canonical form")
    void roundTrip() {
        EnrollmentSettings settings = parse(Map.of(
                "enrollmentRules",
                List.of("  admin   attribute=employeeType=new-hire group=/new-hires/  "),
                "enrollmentExempt",
                List.of("registration"),
                "enrollmentSponsorAttribute",
                List.of("")));
        assertThat(settings.rules().get(0).text()).isEqualTo("admin group=/new-hires attribute=employeeType=new-hire");
        assertThat(settings.sponsorAttribute()).isEmpty();
        Map<String, List<String>> stored = Map.of(
                "enrollmentRules",
                        settings.rules().stream().map(EnrollmentRule::text).toList(),
                "enrollmentExempt",
                        settings.exempt().stream().map(EnrollmentRule::text).toList(),
                "enrollmentSponsorAttribute", List.of(settings.sponsorAttribute()));
        assertThat(parse(stored)).isEqualTo(settings);
    }

    @Test
    @DisplayName("an organization rule takes members of that organization, on any path, with its other conditions")
    void organizations() {
        EnrollmentSettings settings = parse(Map.of(
                "enrollmentRules",
                List.of("registration organization=acme", "admin organization=acme group=/new-hires")));
        assertThat(settings.rules().get(1).text()).isEqualTo("admin group=/new-hires organization=acme");
        assertThat(settings.rules()).allMatch(EnrollmentRule::needsMembership);
        NewUser registrant = new NewUser(ProvisioningPath.REGISTRATION, null, Set.of(), Set.of("acme"), Map.of());
        NewUser outsider = new NewUser(ProvisioningPath.REGISTRATION, null, Set.of(), Set.of("globex"), Map.of());
        assertThat(settings.ruleFor(registrant)).isPresent();
        assertThat(settings.ruleFor(outsider)).isEmpty();
        NewUser adminCreated =
                new NewUser(ProvisioningPath.ADMIN, null, Set.of("/new-hires"), Set.of("acme"), Map.of());
        NewUser notInGroup = new NewUser(ProvisioningPath.ADMIN, null, Set.of(), Set.of("acme"), Map.of());
        assertThat(settings.ruleFor(adminCreated)).isPresent();
        assertThat(settings.ruleFor(notInGroup)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "enrollmentRules|ldap|unknown path 'ldap'",
                "enrollmentRules|admin:console|'admin' takes no ':' name",
                "enrollmentRules|identity-provider:bad/alias|is not a provider name or alias",
                "enrollmentRules|scim group=engineering|group= takes one group path",
                "enrollmentRules|scim group=/a group=/b|group= takes one group path",
                "enrollmentRules|scim attribute=employeeType|attribute= takes one name=value",
                "enrollmentRules|scim attribute=employeeType=|attribute= takes one name=value",
                "enrollmentRules|scim organization=a/b|organization= takes one organization alias",
                "enrollmentRules|scim organization=a organization=b|organization= takes one organization alias",
                "enrollmentRules|scim role=admin|unknown condition 'role'",
                "enrollmentRules|registration attribute=employeeType=new-hire|the registrant sets it",
                "enrollmentExempt|identity-provider:partner group=/x|a path and its source only",
                "enrollmentSponsorAttribute|manager name|a user attribute name",
            })
    @DisplayName("a malformed line is refused with the setting and the line named")
    void refusals(String key, String value, String expected) {
        List<String> problems = new ArrayList<>();
        EnrollmentSettings.parse(Map.of(key, List.of(value)), problems);
        assertThat(problems).singleElement().asString().startsWith(key + ": ").contains(expected);
    }

    @Test
    @DisplayName("at most 50 rules")
    void bounded() {
        List<String> problems = new ArrayList<>();
        EnrollmentSettings.parse(Map.of("enrollmentRules", Collections.nCopies(51, "scim")), problems);
        assertThat(problems).containsExactly("enrollmentRules: at most 50 lines");
    }
}
