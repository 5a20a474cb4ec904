package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import java.time.Duration;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the onboarding console and its APIs at {@code /realms/{realm}/onboarding}. */
public final class OnboardingRealmResourceProviderFactory
        implements RealmResourceProviderFactory, OnboardingProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "onboarding";
    /** How recent a verifier's sign-in must be to record a ceremony result. */
    static final String RESULT_SIGN_IN_MAX_AGE_OPTION = "resultSignInMaxAgeSeconds";

    static final Duration DEFAULT_RESULT_SIGN_IN_MAX_AGE = Duration.ofMinutes(15);

    private Duration resultSignInMaxAge = DEFAULT_RESULT_SIGN_IN_MAX_AGE;

    @Override
    public void init(Config.Scope config) {
        long seconds = config.getLong(RESULT_SIGN_IN_MAX_AGE_OPTION, DEFAULT_RESULT_SIGN_IN_MAX_AGE.toSeconds());
        if (seconds < 60) {
            throw new IllegalArgumentException(
                    RESULT_SIGN_IN_MAX_AGE_OPTION + " must be at least 60 seconds, was " + seconds);
        }
        resultSignInMaxAge = Duration.ofSeconds(seconds);
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        Duration maxAge = resultSignInMaxAge;
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new OnboardingRealmResource(session, session.getContext().getRealm(), maxAge);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
