package io.github.onboardingguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The demo realm of realm-config/ imported under a unique name, with helpers to act as its users:
 * the IAM admin creates hires through the onboarding API, users get tokens through hr-portal.
 */
public final class DemoRealm {

    public static final String PASSWORD = "demo-password-2026";
    public static final String OPEN_CLIENT = "hr-portal";
    public static final String OPEN_CLIENT_SECRET = "hr-portal-demo-secret";
    public static final String CLOSED_CLIENT = "source-code";
    public static final String CLOSED_CLIENT_SECRET = "source-code-demo-secret";
    public static final String CONSOLE_CLIENT = "onboarding-console";

    public final RealmResource resource;
    public final String name;

    private DemoRealm(RealmResource resource) {
        this.resource = resource;
        this.name = resource.toRepresentation().getRealm();
    }

    /** A realm that already exists on a server of the test's own (imported at its start). */
    public static DemoRealm existing(RealmResource resource) {
        return new DemoRealm(resource);
    }

    public static DemoRealm importFresh(String prefix) {
        return new DemoRealm(TestRealms.importDemoRealm(prefix));
    }

    /** The demo realm with a change made to its JSON before the import, as an admin's own realm file would. */
    public static DemoRealm importFresh(String prefix, java.util.function.Consumer<RealmRepresentation> change) {
        RealmRepresentation rep = TestRealms.readRealmConfig(TestRealms.uniqueName(prefix));
        change.accept(rep);
        return new DemoRealm(TestRealms.create(rep));
    }

    public String casesPath() {
        return "/admin/realms/" + name + "/onboarding/cases";
    }

    /** Access token of a demo user (or hire) through the probation-open client. */
    public String tokenOf(String username) {
        Tokens.TokenResponse response = Tokens.passwordGrant(name, OPEN_CLIENT, OPEN_CLIENT_SECRET, username, PASSWORD);
        if (response.status() == 400) {
            // Keycloak's blocking brute-force protector turns a login away while another login of the
            // same user is still completing (tests sign in fast); a person would simply try again.
            pause();
            response = Tokens.passwordGrant(name, OPEN_CLIENT, OPEN_CLIENT_SECRET, username, PASSWORD);
        }
        assertThat(response.status())
                .as("token for %s: %s", username, response.body())
                .isEqualTo(200);
        return response.accessToken();
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Access token of a verifier or auditor through the console client, signed in as in a browser
     * (the console is a public client with PKCE). Reused for a minute: every test gets a sign-in
     * younger than the result endpoint's limit.
     */
    public String consoleTokenOf(String username) {
        CachedToken cached = consoleTokens.get(username);
        if (cached != null && cached.issued().isAfter(java.time.Instant.now().minusSeconds(60))) {
            return cached.token();
        }
        return signInToConsole(username);
    }

    /** A new sign-in to the console in a new browser: a new session, signed in just now. */
    public String signInToConsole(String username) {
        String redirect = Tokens.realmUrl(name) + "/onboarding/console/";
        HireBrowser browser = HireBrowser.login(name, CONSOLE_CLIENT, redirect, username, PASSWORD, null)
                .continuePastStatusPage();
        Tokens.TokenResponse response = browser.exchangeCode(name, CONSOLE_CLIENT, null);
        assertThat(response.status())
                .as("console token for %s: %s", username, response.body())
                .isEqualTo(200);
        consoleTokens.put(username, new CachedToken(response.accessToken(), java.time.Instant.now()));
        return response.accessToken();
    }

    private record CachedToken(String token, java.time.Instant issued) {}

    private final Map<String, CachedToken> consoleTokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** The IAM admin's access token, reused for a minute like the console's. */
    public String adminToken() {
        CachedToken cached = consoleTokens.get(ADMIN_KEY);
        if (cached != null && cached.issued().isAfter(java.time.Instant.now().minusSeconds(60))) {
            return cached.token();
        }
        String token = tokenOf("iam-admin");
        consoleTokens.put(ADMIN_KEY, new CachedToken(token, java.time.Instant.now()));
        return token;
    }

    private static final String ADMIN_KEY = "iam-admin via " + OPEN_CLIENT;

    /** Creates a hire through the onboarding API as the IAM admin; returns the created case. */
    public Map<String, Object> createHire(String username, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("email", username + "@example.com");
        body.put("firstName", "Hire");
        body.put("lastName", username);
        body.put("sponsor", "hiring-manager");
        body.put("invitation", Map.of("send", false, "actions", List.of()));
        body.putAll(extra);
        Api.Reply reply = Api.post(casesPath(), adminToken(), Api.toJson(body));
        assertThat(reply.status()).as("create hire: %s", reply.body()).isEqualTo(201);
        return reply.json();
    }

    /** A hire who can log in right away: case created without invitation, password set by the admin. */
    public Map<String, Object> createHireWithPassword(String username, Map<String, Object> extra) {
        Map<String, Object> created = createHire(username, extra);
        setPassword(userId(created));
        return created;
    }

    /** Does what the invitation would: sets a password and confirms the email address. */
    public void setPassword(String userId) {
        UserRepresentation user = resource.users().get(userId).toRepresentation();
        user.setEmailVerified(true);
        resource.users().get(userId).update(user);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(PASSWORD);
        credential.setTemporary(false);
        resource.users().get(userId).resetPassword(credential);
    }

    /** Changes settings of the realm's onboarding policy through the components API, as an admin would. */
    public void updatePolicy(Map<String, String> settings) {
        org.keycloak.representations.idm.ComponentRepresentation policy = policyComponent();
        settings.forEach((key, value) -> policy.getConfig().putSingle(key, value));
        resource.components().component(policy.getId()).update(policy);
    }

    /** Sets a setting of the onboarding policy that takes several values, e.g. the allowed roles. */
    public void updatePolicyList(String key, List<String> values) {
        org.keycloak.representations.idm.ComponentRepresentation policy = policyComponent();
        policy.getConfig().put(key, values);
        resource.components().component(policy.getId()).update(policy);
    }

    /** Adds roles to the policy's probation allow-list, keeping the entries the realm has. */
    public void allowAlsoInProbation(String... roles) {
        List<String> allowed =
                new java.util.ArrayList<>(policyComponent().getConfig().getOrDefault("tokenRoleAllowList", List.of()));
        allowed.addAll(List.of(roles));
        updatePolicyList("tokenRoleAllowList", allowed);
    }

    /** Adds clients to those probation opens, keeping the realm's. */
    public void openAlsoInProbation(String... clients) {
        List<String> open =
                new java.util.ArrayList<>(policyComponent().getConfig().getOrDefault("probationClients", List.of()));
        open.addAll(List.of(clients));
        updatePolicyList("probationClients", open);
    }

    /**
     * A public client with the password grant (a command line tool, a mobile app: its refresh token works
     * without a secret), opened to hires on probation.
     */
    public void addPublicClientOpenInProbation(String clientId) {
        org.keycloak.representations.idm.ClientRepresentation client =
                new org.keycloak.representations.idm.ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setStandardFlowEnabled(false);
        resource.clients().create(client).close();
        openAlsoInProbation(clientId);
    }

    /** Lets admins edit attributes outside the user profile, so they can try to take the case marker away. */
    public void letAdminsEditAnyAttribute() {
        var profile = resource.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(
                org.keycloak.representations.userprofile.config.UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT);
        resource.users().userProfile().update(profile);
    }

    private org.keycloak.representations.idm.ComponentRepresentation policyComponent() {
        return resource.components().query(null, "org.keycloak.services.ui.extend.UiPageProvider").stream()
                .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                .findFirst()
                .orElseThrow();
    }

    /** A hire who has logged in once (so probation has started) and whose case id is returned. */
    public String hireInProbation(String username, Map<String, Object> extra) {
        String caseId = (String) createHireWithPassword(username, extra).get("id");
        tokenOf(username);
        return caseId;
    }

    /**
     * The whole onboarding through the verifier API as the demo realm's verifier, the hire reading the
     * codes off their status page: the document step, then the person on video.
     */
    public void verifyThroughCeremonies(String caseId, String username) {
        String verifier = consoleTokenOf("verifier");
        HireBrowser hire = HireBrowser.login(name, OPEN_CLIENT, HireBrowser.CALLBACK, username, PASSWORD, null);
        for (String step : List.of("DOCUMENT", "IDENTITY")) {
            Api.Reply opened = VerifierApi.open(name, verifier, caseId, step, "VIDEO");
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
            Api.Reply approved = VerifierApi.approve(name, verifier, VerifierApi.id(opened), step, code);
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        }
    }

    /** A user with the verifier role, created by the admin. */
    public String createVerifier(String username) {
        return TestRealms.createUser(resource, username, PASSWORD, "employee", "onboarding-verifier");
    }

    /** The id of a user of this realm, by exact username. */
    public String userIdOf(String username) {
        List<UserRepresentation> found = resource.users().searchByUsername(username, true);
        assertThat(found).as("user %s in realm %s", username, name).hasSize(1);
        return found.get(0).getId();
    }

    /** What an admin does in the console: add a realm role mapping to a user. */
    public void grantRealmRole(String userId, String role) {
        resource.users()
                .get(userId)
                .roles()
                .realmLevel()
                .add(List.of(resource.roles().get(role).toRepresentation()));
    }

    /** What an admin does in the console: add a client role mapping to a user. */
    public void grantClientRole(String userId, String clientId, String role) {
        String id = resource.clients().findByClientId(clientId).get(0).getId();
        resource.users()
                .get(userId)
                .roles()
                .clientLevel(id)
                .add(List.of(resource.clients().get(id).roles().get(role).toRepresentation()));
    }

    /** The user's effective roles of one client, as Keycloak's admin API reads them from the database. */
    public List<String> effectiveClientRoles(String userId, String clientId) {
        String id = resource.clients().findByClientId(clientId).get(0).getId();
        return resource.users().get(userId).roles().clientLevel(id).listEffective().stream()
                .map(r -> r.getName())
                .toList();
    }

    /** The audit entries the auditor's query finds, as the API's JSON text. */
    public String auditEntries(String query) {
        Api.Reply reply = Api.get("/realms/" + name + "/onboarding/audit/entries?" + query, consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body();
    }

    /**
     * What the legacy token exchange (features {@code token-exchange} and {@code admin-fine-grained-authz:v1})
     * asks of an admin before a client may exchange the identity provider {@code idpAlias}'s tokens and
     * impersonate users: the provider's and the users' permissions enabled, each granted to the client.
     */
    public void allowLegacyExchange(String clientId, String idpAlias) {
        String token = KeycloakTestServer.admin().tokenManager().getAccessTokenString();
        // Enabling the first permissions turns on Authorization Services of realm-management, where the policy lives.
        String exchangePermission = JsonFields.at(
                        enablePermissions(
                                token, "/identity-provider/instances/" + idpAlias + "/management/permissions"),
                        "scopePermissions.token-exchange")
                .toString();
        Map<String, Object> userPermissions = enablePermissions(token, "/users-management-permissions");
        var realmManagement = resource.clients()
                .get(resource.clients()
                        .findByClientId("realm-management")
                        .get(0)
                        .getId());
        var policy = new org.keycloak.representations.idm.authorization.ClientPolicyRepresentation();
        policy.setName("client " + clientId);
        policy.addClient(resource.clients().findByClientId(clientId).get(0).getId());
        realmManagement.authorization().policies().client().create(policy).close();
        String policyId = realmManagement
                .authorization()
                .policies()
                .findByName(policy.getName())
                .getId();
        // Impersonation asks twice: may the client impersonate, and may this user be impersonated.
        for (String permissionId : List.of(
                exchangePermission,
                JsonFields.at(userPermissions, "scopePermissions.impersonate").toString(),
                JsonFields.at(userPermissions, "scopePermissions.user-impersonated")
                        .toString())) {
            var permission =
                    realmManagement.authorization().permissions().scope().findById(permissionId);
            var representation = permission.toRepresentation();
            representation.addPolicy(policyId);
            permission.update(representation);
        }
    }

    /** Turns on the fine-grained permissions at {@code permissionsPath}; returns them, the scope permissions' ids included. */
    private Map<String, Object> enablePermissions(String adminToken, String permissionsPath) {
        Api.Reply enabled =
                Api.call("PUT", "/admin/realms/" + name + permissionsPath, adminToken, "{\"enabled\":true}");
        assertThat(enabled.status())
                .as("enable %s: %s", permissionsPath, enabled.body())
                .isEqualTo(200);
        return enabled.json();
    }

    /** Saves a webhook subscription as the "Onboarding webhooks" page does; the answer as it comes. */
    public Api.Reply saveWebhookSubscription(String url, String secret, List<String> events) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        config.put("webhookUrl", List.of(url));
        config.put("webhookSecret", List.of(secret));
        config.put("webhookEvents", events);
        return Api.post(
                "/admin/realms/" + name + "/components",
                // The realm's own admin, so it works on whichever server (or cluster node) the realm lives.
                adminToken(),
                Api.toJson(Map.of(
                        "name",
                        "receiver " + url.hashCode(),
                        "providerId",
                        "onboarding-webhook",
                        "providerType",
                        "org.keycloak.services.ui.extend.UiPageProvider",
                        "config",
                        config)));
    }

    /** A webhook subscription for risk alerts, as the alert receivers of the risk tests take them; returns its id. */
    public String subscribeToRiskAlerts(String url, String secret) {
        Api.Reply saved = saveWebhookSubscription(url, secret, List.of("risk.signal"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String location = saved.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Sets attributes of a client, as the admin console's client settings do. */
    public void setClientAttributes(String clientId, Map<String, String> attributes) {
        org.keycloak.representations.idm.ClientRepresentation client =
                resource.clients().findByClientId(clientId).get(0);
        Map<String, String> merged =
                new java.util.HashMap<>(client.getAttributes() == null ? Map.of() : client.getAttributes());
        merged.putAll(attributes);
        client.setAttributes(merged);
        resource.clients().get(client.getId()).update(client);
    }

    /**
     * Keycloak 26's "Always use lightweight access token": the client's access tokens carry no
     * {@code sub}, only the session ({@code sid}) Keycloak finds the user through.
     */
    public void useLightweightAccessTokens(String clientId) {
        setClientAttributes(clientId, Map.of("client.use.lightweight.access.token.enabled", "true"));
    }

    /**
     * Makes {@value #CLOSED_CLIENT} a resource server (Authorization Services) whose resource
     * "repositories" every member of staff may read, with roles read from the database.
     */
    public void protectRepositoriesWithAuthorizationServices() {
        var sourceCode = resource.clients().findByClientId(CLOSED_CLIENT).get(0);
        sourceCode.setServiceAccountsEnabled(true);
        sourceCode.setAuthorizationServicesEnabled(true);
        var client = resource.clients().get(sourceCode.getId());
        client.update(sourceCode);
        client.authorization()
                .resources()
                .create(new org.keycloak.representations.idm.authorization.ResourceRepresentation("repositories"))
                .close();
        var everyone = new org.keycloak.representations.idm.authorization.RolePolicyRepresentation();
        everyone.setName("every realm user");
        everyone.addRole(resource.toRepresentation().getDefaultRole().getName());
        // The demo's staff came in by realm import, which gives no default roles.
        everyone.addRole("employee");
        everyone.setFetchRoles(true);
        client.authorization().policies().role().create(everyone).close();
        var permission = new org.keycloak.representations.idm.authorization.ResourcePermissionRepresentation();
        permission.setName("staff read repositories");
        permission.addResource("repositories");
        permission.addPolicy("every realm user");
        client.authorization().permissions().resource().create(permission).close();
    }

    /** A browser flow of the admin's own without the gate (just the password form), bound to {@code clientId}. */
    public void bindBrowserFlowWithoutGate(String clientId) {
        String alias = clientId + " login";
        var flow = new org.keycloak.representations.idm.AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        resource.flows().createFlow(flow).close();
        resource.flows().addExecution(alias, Map.of("provider", "auth-username-password-form"));
        var execution = resource.flows().getExecutions(alias).get(0);
        execution.setRequirement("REQUIRED");
        resource.flows().updateExecutions(alias, execution);
        String flowId = resource.flows().getFlows().stream()
                .filter(f -> alias.equals(f.getAlias()))
                .findFirst()
                .orElseThrow()
                .getId();
        var client = resource.clients().findByClientId(clientId).get(0);
        client.setAuthenticationFlowBindingOverrides(Map.of("browser", flowId));
        resource.clients().get(client.getId()).update(client);
    }

    /** Points the realm's email settings at a test mail server. */
    public DemoRealm useMailServer(TestSmtpServer smtp) {
        RealmRepresentation rep = resource.toRepresentation();
        rep.setSmtpServer(smtp.realmSmtpConfig());
        resource.update(rep);
        return this;
    }

    public UserRepresentation user(String userId) {
        return resource.users().get(userId).toRepresentation();
    }

    @SuppressWarnings("unchecked")
    public static String userId(Map<String, Object> onboardingCase) {
        return (String) ((Map<String, Object>) onboardingCase.get("user")).get("id");
    }

    public Map<String, Object> getCase(String caseId) {
        Api.Reply reply = Api.get(casesPath() + "/" + caseId, adminToken());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    /** Applies a stage event through the test-only hook (the service the ceremony will call). */
    public String applyEvent(String caseId, String event) {
        Api.Reply reply =
                Api.post("/realms/" + name + "/onboarding-test-hooks/cases/" + caseId + "/events/" + event, null, null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return (String) reply.json().get("stage");
    }

    /** The id of the user's case, from the case marker (shown to admins only with {@link #letAdminsEditAnyAttribute}). */
    public java.util.Optional<String> caseIdOfUser(String userId) {
        Map<String, List<String>> attributes = user(userId).getAttributes();
        return java.util.Optional.ofNullable(attributes == null ? null : attributes.get("onboarding-case"))
                .map(values -> values.get(0));
    }

    /** The realm health check's holes, each as "code subject". */
    public List<String> holeSubjects() {
        Api.Reply reply = Api.get("/admin/realms/" + name + "/onboarding/health", adminToken());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JsonFields.list(reply.json(), "holes").stream()
                .map(h -> JsonFields.at(h, "code") + " " + JsonFields.at(h, "subject"))
                .toList();
    }
}
