package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.PolicyException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/** Reads a realm's onboarding policy. Components come from Keycloak's realm cache, so this is cheap. */
public final class RealmPolicies {

    private static final Logger LOG = Logger.getLogger(RealmPolicies.class);

    private RealmPolicies() {
    }

    /** The policy, parsed once per request and realm. */
    public static OnboardingPolicy of(KeycloakSession session, RealmModel realm) {
        String key = "onboarding-guard.policy." + realm.getId();
        if (session.getAttribute(key) instanceof OnboardingPolicy remembered) {
            return remembered;
        }
        OnboardingPolicy policy = of(realm);
        session.setAttribute(key, policy);
        return policy;
    }

    public static OnboardingPolicy of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> OnboardingPolicyPageFactory.PROVIDER_ID.equals(c.getProviderId()))
                .findFirst()
                .map(c -> {
                    try {
                        return OnboardingPolicy.parse(c.getConfig());
                    } catch (PolicyException e) {
                        // Only reachable if the stored component was edited around validation;
                        // the defaults are the safe side (they allow least).
                        LOG.warnf("Onboarding policy of realm %s is invalid, using defaults: %s", realm.getName(), e.getMessage());
                        return OnboardingPolicy.defaults();
                    }
                })
                .orElseGet(OnboardingPolicy::defaults);
    }
}
