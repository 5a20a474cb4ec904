package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.enrollment.EnrollmentSettings;
import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.PasskeyModels;
import io.github.onboardingguard.onboarding.PolicyException;
import io.github.onboardingguard.onboarding.Reverification;
import io.github.onboardingguard.risk.RiskSettings;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * The "Onboarding policy" page of the admin console. Each realm has at most one policy, stored as
 * a component, so it is exported and imported with the realm JSON.
 */
public final class OnboardingPolicyPageFactory extends AuditedPageFactory {

    public static final String PROVIDER_ID = "onboarding-policy";

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(OnboardingPolicy.PROBATION_DAYS)
            .label("Probation duration (days)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("30")
            .helpText("Days a new hire has, from the case's creation, to complete identity verification. "
                    + "When they pass, the case expires and the user is disabled. 1 to 365.")
            .add()
            .property()
            .name(OnboardingPolicy.PROBATIONARY_ROLE)
            .label("Probationary role")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(OnboardingPolicy.DEFAULT_PROBATIONARY_ROLE)
            .helpText("Realm role given to every new hire when the case is created and removed when the case "
                    + "reaches VERIFIED. The role must exist.")
            .add()
            .property()
            .name(OnboardingPolicy.PROBATION_CLIENTS)
            .label("Clients open during probation")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("account-console")
            .helpText("Client IDs a hire who is not verified yet may log in to. Every other client shows the "
                    + "hire a page explaining that access opens after identity verification.")
            .add()
            .property()
            .name(OnboardingPolicy.TOKEN_ROLE_ALLOW_LIST)
            .label("Roles allowed in probation tokens")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue(String.join("##", OnboardingPolicy.DEFAULT_TOKEN_ROLE_ALLOW_LIST))
            .helpText("Roles that may stay in the tokens of a hire who is not verified yet, and that a grant to them "
                    + "is not held for: 'role' for a realm role, 'client/role' for a client role, a trailing '*' matches "
                    + "a prefix ('hr-portal/*'); 'default-roles-*' means the realm's own default role only. A role is "
                    + "allowed only if every role it includes is allowed too. Every other role is removed from the "
                    + "token and held on the case when granted.")
            .add()
            .property()
            .name(OnboardingPolicy.DOCUMENT_STEP_REQUIRED)
            .label("Document check required")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true")
            .helpText("On: a verifier must approve the ID document before the identity (video or in-person) "
                    + "step. Off: the identity step alone verifies the hire.")
            .add()
            .property()
            .name(OnboardingPolicy.DUAL_CONTROL)
            .label("Dual control")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("On: the document step and the identity step must be approved by two different verifiers.")
            .add()
            .property()
            .name(OnboardingPolicy.CEREMONY_CODE_MINUTES)
            .label("Ceremony code validity (minutes)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("5")
            .helpText("How long the one-time code on the hire's page stays valid during a verification ceremony. "
                    + "1 to 30.")
            .add()
            .property()
            .name(OnboardingPolicy.CEREMONY_MAX_ATTEMPTS)
            .label("Wrong codes before the ceremony locks")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("3")
            .helpText("After this many wrong ceremony codes the ceremony locks and a risk signal is recorded; "
                    + "a verifier must open a new ceremony. 1 to 10.")
            .add()
            .property()
            .name(OnboardingPolicy.PASSKEY_BINDING)
            .label("Bind a passkey during the identity step")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("On: during the identity ceremony the hire registers a passkey from their page, and the "
                    + "verifier can approve only after that. It is recorded as the case's verified credential.")
            .add()
            .property()
            .name(OnboardingPolicy.SPONSOR_ATTESTATION)
            .label("Sponsor confirms the person at the identity step")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("On: the identity step can be approved only after the hire's sponsor has confirmed in the "
                    + "onboarding console, during that ceremony, that the person is the one they interviewed and hired. "
                    + "The sponsor never verifies.")
            .add()
            .property()
            .name(OnboardingPolicy.PROBATION_SESSION_MINUTES)
            .label("Session lifetime on probation (minutes)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("0")
            .helpText(
                    "A session of a hire who is not verified yet ends this many minutes after its sign-in: no refresh, "
                            + "no token through its SSO cookie after that; the hire signs in again. 0: the realm's session "
                            + "settings alone. At most 43200 (30 days); 480 is a working day.")
            .add()
            .property()
            .name(OnboardingPolicy.PROBATION_OFFLINE_TOKENS)
            .label("Offline tokens on probation")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText(
                    "Off: a hire who is not verified yet gets no offline token (scope offline_access), and an offline "
                            + "session they hold is ended at its next use. On: Keycloak's rules alone.")
            .add()
            .property()
            .name(PasskeyModels.SETTING)
            .label("Company-issued passkey models (AAGUIDs)")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText(
                    "With passkey binding: only a passkey of one of these authenticator models (their AAGUIDs) is bound "
                            + "at a ceremony, and only an attested one (set the realm's WebAuthn Passwordless Policy to "
                            + "attestation 'Direct'). Empty: any passkey.")
            .add()
            .property()
            .name(PasskeyModels.DEVICE_BOUND_SETTING)
            .label("Only device-bound passkeys")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("With passkey binding: a passkey that can be synced to other devices (WebAuthn's backup-eligible "
                    + "flag) is not bound at a ceremony; a security key or a device-bound platform authenticator is.")
            .add()
            .property()
            .name(OnboardingPolicy.VERIFICATION_BOOKING_URL)
            .label("Where hires book the verification call")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("")
            .helpText("An https:// or mailto: address shown on the hire's status page. Empty: the page tells the "
                    + "hire that their sponsor arranges the call.")
            .add()
            .property()
            .name(OnboardingPolicy.AUDIT_RETENTION_DAYS)
            .label("Audit retention (days)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("0")
            .helpText("Audit entries older than this are removed (hourly); a checkpoint entry keeps the rest of the "
                    + "chain verifiable. 0 keeps the audit trail forever. Export to your SIEM before lowering it.")
            .add()
            .property()
            .name(OnboardingPolicy.REMINDER_DAYS)
            .label("Reminders before the deadline (days)")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("7##2")
            .helpText("Days before a case's deadline on which the hire and their sponsor are reminded by email that "
                    + "the identity verification is still open, e.g. 7 and 2. At most 5; none: no reminders.")
            .add()
            .property()
            .name(Reverification.EVERY_DAYS)
            .label("Verify verified hires again every (days)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("0")
            .helpText("Periodic re-verification: this many days after a hire was verified they go back to probation "
                    + "until a verifier has seen them again; they are reminded on the reminder days before. 0: never. "
                    + "A changed value is worked out again for every verified hire.")
            .add()
            .property()
            .name(Reverification.GROUPS)
            .label("Re-verification per group (days)")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText("Members of a group (and its subgroups) verified again more often, one entry each, e.g. "
                    + "'/admins=90'. The smallest number that applies to a hire wins.")
            .add()
            .property()
            .name(EnrollmentSettings.RULES)
            .label("Enrollment rules")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText("Which new users get an onboarding case the moment they are created, one rule per entry: a path "
                    + "(admin, scim, identity-provider[:alias], registration), then optionally group=/path and "
                    + "attribute=name=value, both of which must hold. E.g. 'identity-provider:corporate "
                    + "attribute=employeeType=new-hire'. Users that exist already are never touched.")
            .add()
            .property()
            .name(EnrollmentSettings.EXEMPT)
            .label("Paths that never bring hires")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText("Paths whose new users are never hires, e.g. 'identity-provider:partner-agency' for a partner's "
                    + "contractors: written like a rule without conditions. Nobody is enrolled through them; the "
                    + "health check stops naming them as uncovered.")
            .add()
            .property()
            .name(EnrollmentSettings.SPONSOR_ATTRIBUTE)
            .label("Sponsor attribute")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(EnrollmentSettings.DEFAULT_SPONSOR_ATTRIBUTE)
            .helpText("The user attribute in which HR names an enrolled hire's sponsor (username or email). Empty: "
                    + "enrolled hires start without a sponsor.")
            .add()
            .property()
            .name(RiskSettings.RULES)
            .label("Risk rules")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText("One rule per entry: 'rule=ACTION key=value ...', e.g. 'country_hop=SUSPEND window=PT6H'. Rules: "
                    + "contact_change (attributes=a|b), country_not_allowed (allowed=DE|AT), country_unknown (window), country_hop (window), "
                    + "shared_address (accounts, window), credential_change, restricted_client, privileged_grant, "
                    + "failed_login_burst (failures, window), unbound_login, unguarded_login, probation_tampering, recovery_repudiated. Actions: OFF, LOG, ALERT, STEP_UP, REVERIFY, SUSPEND. "
                    + "Rules not listed keep their defaults.")
            .add()
            .property()
            .name(RiskSettings.MONITOR_VERIFIED_DAYS)
            .label("Keep watching verified hires (days)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("30")
            .helpText("Risk rules also apply to hires verified within this many days. 0 to 365.")
            .add()
            .property()
            .name(RiskSettings.COUNTRY_HEADER)
            .label("Trusted country header")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("")
            .helpText("Request header your reverse proxy sets to the client's ISO country code (e.g. CF-IPCountry). "
                    + "Only name a header the proxy always overwrites; empty switches the country rules off.")
            .add()
            .property()
            .name(RiskSettings.SECURITY_EMAIL)
            .label("Security alert email")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("")
            .helpText("Also receives every alert (the sponsor always does).")
            .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "How new hires are kept on probation until their identity is verified. One policy per realm; "
                + "without one, the defaults shown here apply. Whether every login and token path of this realm "
                + "passes the onboarding checks: GET /admin/realms/{realm}/onboarding/health (also logged at start).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        List<String> problems = new ArrayList<>();
        OnboardingPolicy policy = null;
        try {
            policy = OnboardingPolicy.parse(model.getConfig());
        } catch (PolicyException e) {
            problems.addAll(e.problems());
        }
        if (policy != null) {
            int minimum = ServerOptions.of(session).auditMinRetentionDays();
            if (policy.auditRetentionDays() > 0 && policy.auditRetentionDays() < minimum) {
                problems.add(OnboardingPolicy.AUDIT_RETENTION_DAYS + ": at least " + minimum
                        + " days (the server's minimum), or 0 to keep the trail");
            }
            if (realm.getRole(policy.probationaryRole()) == null) {
                problems.add(OnboardingPolicy.PROBATIONARY_ROLE + ": realm role '" + policy.probationaryRole()
                        + "' does not exist");
            }
            problems.addAll(EnrollmentTargets.unknown(session, realm, policy.enrollment()));
            for (String clientId : policy.probationClients()) {
                ClientModel client = realm.getClientByClientId(clientId);
                if (client == null) {
                    problems.add(OnboardingPolicy.PROBATION_CLIENTS + ": client '" + clientId + "' does not exist");
                } else if ("saml".equals(client.getProtocol())) {
                    // SAML assertions carry roles the token filter never sees.
                    problems.add(OnboardingPolicy.PROBATION_CLIENTS + ": client '" + clientId + "' is a SAML client; "
                            + "its assertions are not filtered, so it cannot be open during probation");
                }
            }
        }
        boolean anotherPolicyExists = realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .anyMatch(
                        c -> PROVIDER_ID.equals(c.getProviderId()) && !c.getId().equals(model.getId()));
        if (anotherPolicyExists) {
            problems.add("this realm already has an onboarding policy; edit that one");
        }
        refuseIfAny(problems);
    }
}
