package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import io.github.onboardingguard.onboarding.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** "Condition - onboarding stage", for flows such as "require a passkey while in probation". */
public final class StageConditionFactory
        implements ConditionalAuthenticatorFactory, OnboardingProviderFactory<Authenticator> {

    public static final String PROVIDER_ID = "conditional-onboarding-stage";
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED
    };
    private static final List<ProviderConfigProperty> PROPERTIES = properties();

    private static List<ProviderConfigProperty> properties() {
        List<String> options = new ArrayList<>();
        options.add(StageCondition.StageConditionConfig.NO_CASE);
        Arrays.stream(Stage.values()).map(Stage::name).forEach(options::add);
        return ProviderConfigurationBuilder.create()
                .property()
                .name(StageCondition.StageConditionConfig.STAGES)
                .label("Onboarding stages")
                .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE)
                .options(options)
                .helpText("The condition is true when the user's onboarding case is in one of these stages. "
                        + "NO_CASE stands for users without an onboarding case.")
                .add()
                .property()
                .name(StageCondition.StageConditionConfig.NEGATE)
                .label("Negate output")
                .type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("Invert the result: true when the user's stage is none of the selected ones.")
                .add()
                .build();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Condition - onboarding stage";
    }

    @Override
    public String getHelpText() {
        return "Matches users by the stage of their onboarding case, e.g. to require a passkey during probation.";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
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
    public ConditionalAuthenticator getSingleton() {
        return StageCondition.SINGLETON;
    }
}
