package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** "Onboarding gate": place it after the step that identifies the user in the browser and direct-grant flows. */
public final class OnboardingGateAuthenticatorFactory
        implements AuthenticatorFactory, OnboardingProviderFactory<Authenticator> {

    public static final String PROVIDER_ID = "onboarding-gate";
    /** The onboarding status page (a required action): where a sign-in in recovery stops. */
    public static final String STATUS_PAGE_ACTION = "onboarding-status";
    /** Set on the authentication session when the gate runs in the realm's reset-credentials flow. */
    public static final String RESET_FLOW_NOTE = "onboarding.recovery.reset-flow";
    /** The error of the LOGIN_ERROR event when a hire who is not verified yet tries a closed client. */
    public static final String ERROR_CLIENT_NOT_ALLOWED = "onboarding_client_not_allowed";
    /** The error of the LOGIN_ERROR event when a hire is refused because the realm's stored policy is invalid. */
    public static final String ERROR_POLICY_INVALID = "onboarding_policy_invalid";
    /** The error of the LOGIN_ERROR event when a suspended, expired or rejected hire tries to log in. */
    public static final String ERROR_ACCESS_CLOSED = "onboarding_access_closed";
    /**
     * The error of the LOGIN_ERROR event when a token path cannot tell whose token it was given
     * (no session, subject or username that leads to a user): refused, since it could be a hire's.
     */
    public static final String ERROR_TOKEN_UNATTRIBUTED = "onboarding_token_unattributed";
    /** Refused: an offline token for a hire who is not verified yet, where the policy allows none. */
    public static final String ERROR_OFFLINE_NOT_ALLOWED = "onboarding_offline_not_allowed";
    /** Refused: the session of a hire who is not verified yet is older than the policy's session lifetime. */
    public static final String ERROR_SESSION_TOO_OLD = "onboarding_session_too_old";

    private static final OnboardingGateAuthenticator SINGLETON = new OnboardingGateAuthenticator();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED
    };

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Onboarding gate";
    }

    @Override
    public String getReferenceCategory() {
        return "onboarding";
    }

    @Override
    public String getHelpText() {
        return "Lets a new hire who is not verified yet log in only to the clients of the onboarding policy, "
                + "and no suspended, expired or rejected hire anywhere. Users without an onboarding case pass. "
                + "Place it after the step that identifies the user.";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }
}
