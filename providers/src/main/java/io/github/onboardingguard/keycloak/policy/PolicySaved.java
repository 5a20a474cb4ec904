package io.github.onboardingguard.keycloak.policy;

import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * A page's settings were saved, published in the saving transaction, so that capabilities above the
 * policy can follow a change (a new re-verification cadence is worked out again for every verified hire).
 */
public record PolicySaved(KeycloakSession session, RealmModel realm, String page, List<String> changedKeys)
        implements ProviderEvent {

    public PolicySaved {
        changedKeys = List.copyOf(changedKeys);
    }
}
