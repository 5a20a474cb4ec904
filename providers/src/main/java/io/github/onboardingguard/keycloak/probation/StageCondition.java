package io.github.onboardingguard.keycloak.probation;

import java.util.Optional;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** True when the user's onboarding stage is one of the configured stages. */
final class StageCondition implements ConditionalAuthenticator {

    static final StageCondition SINGLETON = new StageCondition();

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (user == null) {
            return false;
        }
        StageConditionConfig config = new StageConditionConfig(context.getAuthenticatorConfig());
        Set<String> wanted = config.stages();
        Optional<ProbationDecision> decision =
                ProbationDecision.forUser(context.getSession(), context.getRealm(), user);
        String current = decision.map(d -> d.stage().name()).orElse(StageConditionConfig.NO_CASE);
        return config.negate() != wanted.contains(current);
    }

    @Override
    public void action(AuthenticationFlowContext context) {}

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}

    /** Typed, null-safe view of the condition's configuration. */
    record StageConditionConfig(Set<String> stages, boolean negate) {

        static final String STAGES = "stages";
        static final String NEGATE = "negate";
        static final String NO_CASE = "NO_CASE";

        StageConditionConfig(AuthenticatorConfigModel model) {
            this(
                    parseStages(model),
                    model != null
                            && model.getConfig() != null
                            && Boolean.parseBoolean(model.getConfig().get(NEGATE)));
        }

        private static Set<String> parseStages(AuthenticatorConfigModel model) {
            if (model == null || model.getConfig() == null || model.getConfig().get(STAGES) == null) {
                return Set.of();
            }
            // Tolerant of what an admin can store: the same stage twice, blanks, spaces.
            Set<String> stages = new java.util.LinkedHashSet<>();
            for (String stage : model.getConfig().get(STAGES).split("##")) {
                if (!stage.isBlank()) {
                    stages.add(stage.trim());
                }
            }
            return Set.copyOf(stages);
        }
    }
}
