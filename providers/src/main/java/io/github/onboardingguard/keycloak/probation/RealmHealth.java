package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.enrollment.EnrollmentSettings;
import io.github.onboardingguard.enrollment.ProvisioningPath;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.enrollment.EnrollmentLdapMapperFactory;
import io.github.onboardingguard.keycloak.policy.EnrollmentTargets;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.verification.Appointment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.Profile;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * Every door of a realm through which a hire who is not verified yet could get a session or a
 * token without the extension's checks, found from the realm's configuration. Each hole has a
 * stable code, a severity and what to do about it.
 */
public final class RealmHealth {

    public static final String LISTENER_ID = ServerOptions.LISTENER_ID;

    static final String ONBOARDING_SCOPE = "onboarding";

    public enum Severity {
        CRITICAL,
        HIGH,
        MEDIUM
    }

    /** One unguarded door. {@code subject} names the flow, client, identity provider or role concerned. */
    public record Hole(String code, Severity severity, String subject, String message, String fix) {}

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OnboardingPolicy policy;
    private final List<Hole> holes = new ArrayList<>();

    private RealmHealth(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.policy = RealmPolicies.of(session, realm);
    }

    public static List<Hole> check(KeycloakSession session, RealmModel realm) {
        RealmHealth health = new RealmHealth(session, realm);
        health.run();
        return List.copyOf(health.holes);
    }

    /** Whether the realm uses the extension at all: its listener or a stored policy. Other realms are not checked at start. */
    public static boolean usesOnboarding(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(LISTENER_ID::equals)
                || realm.getComponentsStream(realm.getId(), "org.keycloak.services.ui.extend.UiPageProvider")
                        .anyMatch(c -> "onboarding-policy".equals(c.getProviderId()));
    }

    private void run() {
        RealmPolicies.problem(session, realm)
                .ifPresent(problem -> hole(
                        "policy_invalid",
                        Severity.CRITICAL,
                        "onboarding policy",
                        "The stored onboarding policy is invalid; hires are refused and no verification is recorded: "
                                + problem,
                        "Open Realm settings > Onboarding policy, correct the setting named and save"));
        if (realm.getEventsListenersStream().noneMatch(LISTENER_ID::equals)) {
            hole(
                    "listener_not_enabled",
                    Severity.CRITICAL,
                    LISTENER_ID,
                    "The onboarding-guard event listener is not enabled: no probation start, audit of logins, risk rules or grant hold",
                    "Add onboarding-guard under Realm settings > Events > Event listeners");
        }
        if (realm.getRole(policy.probationaryRole()) == null) {
            hole(
                    "probationary_role_missing",
                    Severity.HIGH,
                    policy.probationaryRole(),
                    "The policy's probationary role does not exist; new hires cannot be created",
                    "Create the realm role '" + policy.probationaryRole() + "' or name an existing one in the policy");
        }
        RequiredActionProviderModel statusPage =
                realm.getRequiredActionProviderByAlias(OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION);
        if (statusPage == null || !statusPage.isEnabled()) {
            hole(
                    "status_page_disabled",
                    Severity.HIGH,
                    OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION,
                    "The onboarding status page (a required action) is not enabled: hires see no ceremony code, and a "
                            + "verified hire in recovery is refused at the gate but a sign-in through a reset link finishes "
                            + "(tokens are still refused; SAML clients are not covered by token checks)",
                    "Enable 'Onboarding status and verification code' under Authentication > Required actions");
        }
        if (Profile.isFeatureEnabled(Profile.Feature.TOKEN_EXCHANGE)) {
            hole(
                    "legacy_token_exchange",
                    Severity.MEDIUM,
                    "token-exchange",
                    "Keycloak's legacy token exchange (preview feature token-exchange) is on: exchanges for a hire are checked, "
                            + "but a token of another issuer whose identity is linked to nobody creates an account without any "
                            + "login flow, which starts without a case unless an enrollment rule covers its identity provider",
                    "Turn the preview feature token-exchange off, or give no client the identity providers' token-exchange permission");
        }
        checkRealmFlows();
        checkClients();
        checkIdentityProviders();
        checkEnrollmentPaths();
        checkClientPolicy();
        checkComposites();
        checkFederationMappers();
        checkPrivilegedRoleMappers();
        checkUserProfile();
    }

    private void checkRealmFlows() {
        requireGate(realm.getBrowserFlow(), "browser flow");
        requireGate(realm.getDirectGrantFlow(), "direct grant flow");
        requireGate(realm.getResetCredentialsFlow(), "reset credentials flow");
        requireGate(realm.getFirstBrokerLoginFlow(), "first broker login flow");
        if (realm.getClientsStream().anyMatch(c -> "docker-v2".equals(c.getProtocol()))) {
            requireGate(realm.getDockerAuthenticationFlow(), "docker authentication flow");
        }
    }

    private void requireGate(AuthenticationFlowModel flow, String binding) {
        if (flow != null && !containsGate(flow.getId(), new HashSet<>())) {
            hole(
                    "flow_without_gate",
                    Severity.HIGH,
                    flow.getAlias(),
                    "The realm's " + binding + " '" + flow.getAlias()
                            + "' lets a hire log in to any client without the onboarding gate",
                    "Add the 'Onboarding gate' step (REQUIRED) after the step that identifies the user");
        }
    }

    /** The gate runs on every path through the flow: REQUIRED itself, or inside a REQUIRED sub-flow. */
    private boolean containsGate(String flowId, Set<String> seen) {
        if (!seen.add(flowId)) {
            return false;
        }
        return realm.getAuthenticationExecutionsStream(flowId)
                .filter(e -> e.getRequirement() == AuthenticationExecutionModel.Requirement.REQUIRED)
                .anyMatch(e -> OnboardingGateAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator())
                        || (e.isAuthenticatorFlow() && e.getFlowId() != null && containsGate(e.getFlowId(), seen)));
    }

    private void checkClients() {
        realm.getClientsStream().forEach(client -> {
            for (String binding : List.of(
                    AuthenticationFlowBindings.BROWSER_BINDING, AuthenticationFlowBindings.DIRECT_GRANT_BINDING)) {
                String flowId = client.getAuthenticationFlowBindingOverride(binding);
                AuthenticationFlowModel flow = flowId == null ? null : realm.getAuthenticationFlowById(flowId);
                if (flow != null && !containsGate(flow.getId(), new HashSet<>())) {
                    hole(
                            "client_flow_without_gate",
                            Severity.HIGH,
                            client.getClientId(),
                            "Client '" + client.getClientId() + "' overrides the " + binding + " flow with '"
                                    + flow.getAlias() + "', which lacks the onboarding gate",
                            "Add the 'Onboarding gate' step to '" + flow.getAlias() + "' or remove the override");
                }
            }
            if (OIDCAdvancedConfigWrapper.fromClientModel(client).getJWTAuthorizationGrantEnabled()) {
                checkJwtAuthorizationGrant(client);
            }
            if ("saml".equals(client.getProtocol()) && policy.allowsClient(client.getClientId())) {
                hole(
                        "saml_client_allowed",
                        Severity.HIGH,
                        client.getClientId(),
                        "SAML client '" + client.getClientId()
                                + "' is open during probation, but SAML assertions are not filtered: hires would get every role",
                        "Remove it from the policy's probation clients");
            }
            if (issuesOidcTokens(client) && !hasTokenFilter(client)) {
                hole(
                        "client_without_onboarding_scope",
                        Severity.MEDIUM,
                        client.getClientId(),
                        "Client '" + client.getClientId()
                                + "' has no 'onboarding' default client scope: its tokens carry no onboarding claim and are not filtered",
                        "Add the 'onboarding' client scope to the client as a default scope");
            }
        });
    }

    /**
     * The JWT authorization grant (RFC 7523) logs a user in with another issuer's token and runs no
     * flow: only the extension's own grant ({@link ProbationJwtAuthorizationGrantTypeFactory}) checks
     * probation there. If another provider has taken the grant's id, nothing does.
     */
    private void checkJwtAuthorizationGrant(ClientModel client) {
        ProviderFactory<?> active = session.getKeycloakSessionFactory()
                .getProviderFactory(OAuth2GrantType.class, OAuth2Constants.JWT_AUTHORIZATION_GRANT);
        String providers = String.join(
                ", ",
                OIDCAdvancedConfigWrapper.fromClientModel(client).getJWTAuthorizationGrantAllowedIdentityProviders());
        if (active != null && !(active instanceof ProbationJwtAuthorizationGrantTypeFactory)) {
            hole(
                    "jwt_grant_unguarded",
                    Severity.HIGH,
                    client.getClientId(),
                    "Client '" + client.getClientId()
                            + "' takes JWT authorization grants (from " + providers + "), and the grant is served by "
                            + active.getClass().getName()
                            + ", not the extension's: hires get tokens without the probation check",
                    "Remove the other provider of the grant '" + OAuth2Constants.JWT_AUTHORIZATION_GRANT
                            + "', or turn the grant " + "off for this client");
        } else if (!policy.allowsClient(client.getClientId())) {
            hole(
                    "jwt_grant_closed_client",
                    Severity.MEDIUM,
                    client.getClientId(),
                    "Client '" + client.getClientId()
                            + "', closed during probation, takes JWT authorization grants (from " + providers
                            + "): a hire's "
                            + "assertion is refused by the extension's grant, but this door runs no flow and no gate",
                    "Turn off 'JWT authorization grant' for this client unless its users come only from those providers");
        }
    }

    private static boolean issuesOidcTokens(ClientModel client) {
        return "openid-connect".equals(client.getProtocol())
                && !client.isBearerOnly()
                && client.isEnabled()
                && (client.isStandardFlowEnabled()
                        || client.isDirectAccessGrantsEnabled()
                        || client.isImplicitFlowEnabled());
    }

    private static boolean hasTokenFilter(ClientModel client) {
        return client.getClientScopes(true).containsKey(ONBOARDING_SCOPE)
                || client.getProtocolMappersStream()
                        .anyMatch(m -> ProbationTokenMapper.PROVIDER_ID.equals(m.getProtocolMapper()));
    }

    private void checkIdentityProviders() {
        session.identityProviders()
                .getAllStream()
                .filter(IdentityProviderModel::isEnabled)
                .forEach(idp -> {
                    String flowId = idp.getPostBrokerLoginFlowId();
                    AuthenticationFlowModel postBroker =
                            flowId == null || flowId.isBlank() ? null : realm.getAuthenticationFlowById(flowId);
                    String firstLoginId = idp.getFirstBrokerLoginFlowId();
                    AuthenticationFlowModel firstLogin = firstLoginId == null || firstLoginId.isBlank()
                            ? null
                            : realm.getAuthenticationFlowById(firstLoginId);
                    if (firstLogin != null && !containsGate(firstLogin.getId(), new HashSet<>())) {
                        // Its own first login flow, not the realm's: where its new accounts are enrolled.
                        hole(
                                "flow_without_gate",
                                Severity.HIGH,
                                firstLogin.getAlias(),
                                "The first login flow '" + firstLogin.getAlias() + "' of identity provider '"
                                        + idp.getAlias() + "' lets a hire in without the onboarding gate",
                                "Add the 'Onboarding gate' step (REQUIRED) at its end, or use the realm's first "
                                        + "broker login flow");
                    }
                    if (postBroker == null || !containsGate(postBroker.getId(), new HashSet<>())) {
                        hole(
                                "idp_without_gate",
                                Severity.HIGH,
                                idp.getAlias(),
                                "Logins through identity provider '" + idp.getAlias()
                                        + "' do not pass the onboarding gate",
                                "Set its post login flow to a flow with the 'Onboarding gate' step");
                    }
                });
    }

    /**
     * Every door through which accounts appear without the onboarding API: one no enrollment rule
     * covers creates users who are never on probation.
     */
    private void checkEnrollmentPaths() {
        EnrollmentSettings enrollment = policy.enrollment();
        // An organization's invitation opens registration even where the realm's own is off.
        boolean invitations = Profile.isFeatureEnabled(Profile.Feature.ORGANIZATION) && realm.isOrganizationsEnabled();
        if ((realm.isRegistrationAllowed() || invitations)
                && !enrollment.decides(ProvisioningPath.REGISTRATION, null)) {
            uncovered(
                    "registration",
                    realm.isRegistrationAllowed()
                            ? "self-registration"
                            : "registration through an organization's invitation",
                    ProvisioningPath.REGISTRATION.token());
        }
        // A group renamed or an identity provider removed since the policy was saved: the rule enrolls nobody.
        EnrollmentTargets.unknown(session, realm, enrollment)
                .forEach(problem -> hole(
                        "enrollment_rule_target_missing",
                        Severity.MEDIUM,
                        "enrollment",
                        problem,
                        "Correct the rule in the onboarding policy"));
        session.identityProviders()
                .getAllStream()
                .filter(IdentityProviderModel::isEnabled)
                .filter(idp -> idp.isTransientUsers()
                        && enrollment.hasRuleFor(ProvisioningPath.IDENTITY_PROVIDER, idp.getAlias()))
                .forEach(idp -> hole(
                        "enrollment_transient_users",
                        Severity.HIGH,
                        idp.getAlias(),
                        "Identity provider '" + idp.getAlias() + "' does not store its users (transient users): "
                                + "they are never enrolled, and every login through it gets tokens without a case",
                        "Store its users (turn 'Do not store users' off), or take it out of the enrollment rules "
                                + "and list it under the paths that never bring hires"));
        session.identityProviders()
                .getAllStream()
                .filter(IdentityProviderModel::isEnabled)
                .filter(idp -> !Boolean.TRUE.equals(idp.isLinkOnly()))
                .filter(idp -> !enrollment.decides(ProvisioningPath.IDENTITY_PROVIDER, idp.getAlias()))
                .forEach(idp -> uncovered(
                        idp.getAlias(),
                        "first logins through identity provider '" + idp.getAlias() + "'",
                        ProvisioningPath.IDENTITY_PROVIDER.token() + ":" + idp.getAlias()));
        realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                .forEach(component -> checkFederationEnrollment(enrollment, component));
        if (Profile.isFeatureEnabled(Profile.Feature.SCIM_API)
                && realm.isScimApiEnabled()
                && !enrollment.decides(ProvisioningPath.SCIM, null)) {
            uncovered("scim", "users provisioned through the SCIM API", ProvisioningPath.SCIM.token());
        }
    }

    private void uncovered(String subject, String who, String rule) {
        hole(
                "enrollment_path_uncovered",
                Severity.MEDIUM,
                subject,
                "No enrollment rule covers " + who + ": such accounts start without a case, never on probation",
                "Add an enrollment rule for it to the onboarding policy (e.g. '" + rule
                        + "'); if hires never arrive through it, turn it off or list '" + rule
                        + "' under the policy's paths that never bring hires");
    }

    /** A federation provider's users are enrolled only through the enrollment mapper of an importing LDAP provider. */
    private void checkFederationEnrollment(EnrollmentSettings enrollment, ComponentModel component) {
        String name = component.getName();
        String rule = ProvisioningPath.FEDERATION.token() + ":" + name;
        if (!enrollment.decides(ProvisioningPath.FEDERATION, name)) {
            uncovered(name, "users imported by user federation '" + name + "'", rule);
            return;
        }
        if (!enrollment.hasRuleFor(ProvisioningPath.FEDERATION, name)) {
            return;
        }
        boolean mapper = realm.getComponentsStream(component.getId())
                .anyMatch(child -> EnrollmentLdapMapperFactory.PROVIDER_ID.equals(child.getProviderId()));
        String problem = !"ldap".equals(component.getProviderId())
                ? "User federation '" + name + "' is not an LDAP provider: its users cannot be enrolled"
                : !new UserStorageProviderModel(component).isImportEnabled()
                        ? "User federation '" + name + "' does not import its users: they cannot be enrolled"
                        : mapper
                                ? null
                                : "User federation '" + name + "' has no 'Onboarding enrollment' mapper: the "
                                        + "rule for it enrolls nobody";
        if (problem != null) {
            hole(
                    "enrollment_mapper_missing",
                    Severity.MEDIUM,
                    name,
                    problem,
                    "Add the mapper '" + EnrollmentLdapMapperFactory.PROVIDER_ID + "' to the provider with "
                            + "'Import users' on, or create its hires through the onboarding API");
        }
    }

    private void checkClientPolicy() {
        try {
            ClientProfilesRepresentation profiles = session.clientPolicy().getClientProfiles(realm, true);
            ClientPoliciesRepresentation policies = session.clientPolicy().getClientPolicies(realm, true);
            Set<String> withExecutor = new HashSet<>();
            List<ClientProfileRepresentation> all =
                    new ArrayList<>(nullSafe(profiles == null ? null : profiles.getProfiles()));
            all.addAll(nullSafe(profiles == null ? null : profiles.getGlobalProfiles()));
            for (ClientProfileRepresentation profile : all) {
                if (nullSafe(profile.getExecutors()).stream()
                        .anyMatch(e ->
                                ProbationClientPolicyExecutorFactory.PROVIDER_ID.equals(e.getExecutorProviderId()))) {
                    withExecutor.add(profile.getName());
                }
            }
            boolean applied = false;
            for (ClientPolicyRepresentation p : nullSafe(policies == null ? null : policies.getPolicies())) {
                applied |= !Boolean.FALSE.equals(p.isEnabled())
                        && nullSafe(p.getProfiles()).stream().anyMatch(withExecutor::contains)
                        && nullSafe(p.getConditions()).stream()
                                .anyMatch(c -> "any-client".equals(c.getConditionProviderId()));
            }
            if (!applied) {
                hole(
                        "client_policy_missing",
                        Severity.HIGH,
                        ProbationClientPolicyExecutorFactory.PROVIDER_ID,
                        "No enabled client policy applies the 'onboarding-probation' executor to all clients: refresh, token "
                                + "exchange, device and CIBA tokens are not checked against probation",
                        "Add a client profile with the 'onboarding-probation' executor and a client policy with the condition "
                                + "'any-client' that uses it (Realm settings > Client policies)");
            }
        } catch (ClientPolicyException e) {
            hole(
                    "client_policy_missing",
                    Severity.HIGH,
                    ProbationClientPolicyExecutorFactory.PROVIDER_ID,
                    "The realm's client policies cannot be read: " + e.getMessage(),
                    "Check Realm settings > Client policies");
        }
    }

    /** Roles that every hire holds: their composites must stay inside the allow-list too. */
    private void checkComposites() {
        Set<RoleModel> held = new LinkedHashSet<>();
        held.add(realm.getDefaultRole());
        held.add(realm.getRole(policy.probationaryRole()));
        held.removeIf(Objects::isNull);
        HeldGrants grants = new HeldGrants(session, realm);
        for (RoleModel base : held) {
            Set<RoleModel> reached = new LinkedHashSet<>();
            expand(base, reached);
            for (RoleModel role : reached) {
                if (!grants.allowedInProbation(role)) {
                    String name = role.isClientRole() && role.getContainer() instanceof ClientModel client
                            ? client.getClientId() + "/" + role.getName()
                            : role.getName();
                    hole(
                            "composite_outside_allow_list",
                            Severity.HIGH,
                            base.getName() + " > " + name,
                            "Every hire holds '"
                                    + base.getName() + "', which includes '" + name
                                    + "', outside the probation allow-list: Keycloak's "
                                    + "admin API and anything using hasRole() see it, whatever the token filter removes",
                            "Remove '" + name + "' from the composite role '" + base.getName()
                                    + "', or allow it in the policy");
                }
            }
        }
        checkAllowListedRoles(grants, held);
        realm.getDefaultGroupsStream()
                .forEach(group -> hole(
                        "default_group",
                        Severity.MEDIUM,
                        group.getName(),
                        "New users join default group '" + group.getName()
                                + "'; a hire's membership is held until verification, "
                                + "but users created outside the onboarding API keep it",
                        "Prefer deferred grants on the hire over default groups"));
    }

    /**
     * Every role the allow-list names must give nothing beyond it: a grant of it is not held, so its
     * composites would reach a hire in full (the hold judges a grant by everything it gives, but a
     * role changed after it was granted is judged only when the change is made through the admin API).
     */
    private void checkAllowListedRoles(HeldGrants grants, Set<RoleModel> reportedAbove) {
        Stream.concat(realm.getRolesStream(), realm.getClientsStream().flatMap(ClientModel::getRolesStream))
                .filter(role -> role.isComposite() && !reportedAbove.contains(role))
                .forEach(role -> {
                    Optional<RoleModel> beyond = grants.firstOutsideAllowList(role);
                    if (beyond.isPresent() && !beyond.get().equals(role)) {
                        String name = qualifiedName(role);
                        String reached = qualifiedName(beyond.get());
                        hole(
                                "allow_listed_composite",
                                Severity.HIGH,
                                name + " > " + reached,
                                "Role '" + name
                                        + "' is allowed during probation but gives '" + reached
                                        + "', which is not: a grant of '" + name
                                        + "' is held on the case for that reason, and hires who already hold it reach '"
                                        + reached + "'",
                                "Remove '" + reached + "' from the composite role '" + name + "', or take '" + name
                                        + "' out of the policy's allowed roles");
                    }
                });
    }

    /**
     * Roles and groups that LDAP gives without storing them in Keycloak raise no grant event, so the
     * hold never sees them: a mapper that reads roles or groups live from LDAP, or a provider that
     * does not import users.
     */
    private void checkFederationMappers() {
        realm.getComponentsStream(realm.getId(), "org.keycloak.storage.UserStorageProvider")
                .filter(provider -> "ldap".equals(provider.getProviderId()))
                .forEach(provider -> {
                    boolean imports = !"false".equalsIgnoreCase(provider.get("importEnabled"));
                    realm.getComponentsStream(provider.getId(), "org.keycloak.storage.ldap.mappers.LDAPStorageMapper")
                            .filter(mapper -> LDAP_GRANTING_MAPPERS.contains(mapper.getProviderId()))
                            .filter(mapper -> !imports
                                    || mapper.getProviderId().startsWith("hardcoded-")
                                    || mapper.get("mode") != null && !"IMPORT".equalsIgnoreCase(mapper.get("mode")))
                            .forEach(
                                    mapper -> hole(
                                            "ldap_mapper_without_import",
                                            Severity.HIGH,
                                            provider.getName() + " > " + mapper.getName(),
                                            "LDAP mapper '" + mapper.getName() + "' of '"
                                                    + provider.getName() + "' gives roles or groups "
                                                    + (!imports
                                                            ? "of users that are not imported"
                                                            : mapper.getProviderId()
                                                                            .startsWith("hardcoded-")
                                                                    ? "to every user of the directory at run time"
                                                                    : "read live from LDAP (mode " + mapper.get("mode")
                                                                            + ")")
                                                    + ": Keycloak raises no grant event, so a hire's LDAP roles are not held until verification",
                                            "Use mode IMPORT on the mapper and import users, or keep hires out of this directory until verified"));
                });
    }

    /**
     * Identity provider and LDAP mappers that hand out the verifier or auditor role: they grant at
     * login or import time, with no admin request behind it, so the appointment check lets them
     * through; whoever may edit such a mapper appoints verifiers.
     */
    private void checkPrivilegedRoleMappers() {
        Set<String> privileged = Set.of(Appointment.VERIFIER_ROLE, Appointment.AUDITOR_ROLE);
        session.identityProviders()
                .getMappersStream()
                .filter(mapper -> mapper.getConfig() != null
                        && mapper.getConfig().get("role") != null
                        && privileged.contains(mapper.getConfig().get("role")))
                .forEach(mapper -> hole(
                        "privileged_role_mapper",
                        Severity.HIGH,
                        mapper.getIdentityProviderAlias() + " > " + mapper.getName(),
                        "Identity provider mapper '" + mapper.getName()
                                + "' of '" + mapper.getIdentityProviderAlias() + "' gives '"
                                + mapper.getConfig().get("role")
                                + "' at login: verifiers or auditors appointed by whoever may edit identity providers",
                        "Appoint verifiers and auditors by hand (an admin with manage-realm); remove the mapper"));
        realm.getComponentsStream()
                .filter(c -> "org.keycloak.storage.ldap.mappers.LDAPStorageMapper".equals(c.getProviderType()))
                .filter(mapper -> mapper.get("role") != null && privileged.contains(mapper.get("role")))
                .forEach(mapper -> hole(
                        "privileged_role_mapper",
                        Severity.HIGH,
                        mapper.getName(),
                        "LDAP mapper '" + mapper.getName() + "' gives '" + mapper.get("role")
                                + "' to users of the directory",
                        "Appoint verifiers and auditors by hand (an admin with manage-realm); remove the mapper"));
    }

    private static final Set<String> LDAP_GRANTING_MAPPERS = Set.of(
            "role-ldap-mapper", "group-ldap-mapper", "hardcoded-ldap-role-mapper", "hardcoded-ldap-group-mapper");

    private static String qualifiedName(RoleModel role) {
        return role.isClientRole() && role.getContainer() instanceof ClientModel client
                ? client.getClientId() + "/" + role.getName()
                : role.getName();
    }

    private static void expand(RoleModel role, Set<RoleModel> reached) {
        role.getCompositesStream().forEach(child -> {
            if (reached.add(child)) {
                expand(child, reached);
            }
        });
    }

    private void checkUserProfile() {
        UPConfig config = session.getProvider(UserProfileProvider.class).getConfiguration();
        if (config.getUnmanagedAttributePolicy() == UPConfig.UnmanagedAttributePolicy.ENABLED) {
            hole(
                    "marker_editable",
                    Severity.HIGH,
                    CaseLookup.MARKER_ATTRIBUTE,
                    "Unmanaged attributes are enabled for users: "
                            + "a hire can edit or remove the '" + CaseLookup.MARKER_ATTRIBUTE + "' and '"
                            + SessionNotes.NARROWED_AT_ATTRIBUTE + "' attributes in the account console",
                    "Set Realm settings > General > Unmanaged attributes to 'Only administrators can write' or 'Disabled'");
        }
        for (String name : List.of(CaseLookup.MARKER_ATTRIBUTE, SessionNotes.NARROWED_AT_ATTRIBUTE)) {
            UPAttribute attribute = config.getAttribute(name);
            if (attribute != null
                    && attribute.getPermissions() != null
                    && attribute.getPermissions().getEdit() != null
                    && attribute.getPermissions().getEdit().contains("user")) {
                hole(
                        "marker_editable",
                        Severity.HIGH,
                        name,
                        "The user profile lets users edit '" + name + "'",
                        "Remove 'user' from the attribute's edit permission in Realm settings > User profile");
            }
        }
    }

    private void hole(String code, Severity severity, String subject, String message, String fix) {
        holes.add(new Hole(code, severity, subject, message, fix));
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** The holes as the admin API shows them. */
    public static List<Map<String, Object>> view(List<Hole> holes) {
        List<Map<String, Object>> view = new ArrayList<>();
        for (Hole hole : holes) {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("code", hole.code());
            row.put("severity", hole.severity().name());
            row.put("subject", hole.subject());
            row.put("message", hole.message());
            row.put("fix", hole.fix());
            view.add(row);
        }
        return view;
    }
}
