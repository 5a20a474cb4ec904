package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.PolicyException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Reads a realm's onboarding policy. Components come from Keycloak's realm cache, so this is cheap.
 * A stored policy that does not parse (an older version's settings, a database edit) is never
 * replaced by weaker defaults without a trace: {@link #problem} names it, and every place that
 * would let a hire in or record a verification refuses while it is there.
 */
public final class RealmPolicies {

    private static final Logger LOG = Logger.getLogger(RealmPolicies.class);

    private RealmPolicies() {}

    /** The parsed policy and, if the stored one is invalid, why (the policy is then the defaults). */
    private record Loaded(OnboardingPolicy policy, String problem) {}

    /** A parse result and the stored component it came from. */
    private record Parsed(ComponentModel component, Loaded loaded) {}

    /**
     * The last parse per realm. The realm cache hands out the same component object until the
     * component changes (a change gives a new object, uncached reads give fresh ones), so a match
     * by identity means the same stored settings: every token request skips the parse.
     */
    private static final ConcurrentMap<String, Parsed> PARSED = new ConcurrentHashMap<>();

    /** The policy, parsed once per request and realm; the defaults if none is stored or it is invalid. */
    public static OnboardingPolicy of(KeycloakSession session, RealmModel realm) {
        return loaded(session, realm).policy();
    }

    /** Why the realm's stored policy is invalid, if it is. */
    public static Optional<String> problem(KeycloakSession session, RealmModel realm) {
        return Optional.ofNullable(loaded(session, realm).problem());
    }

    /**
     * The retention the trail actually gets: {@code 0} keeps everything; any other value is raised to the
     * server's minimum, so a realm admin cannot purge the trail (a policy stored before the minimum was
     * raised included).
     */
    public static int auditRetentionDays(KeycloakSession session, RealmModel realm) {
        int days = of(session, realm).auditRetentionDays();
        return days == 0 ? 0 : Math.max(days, ServerOptions.of(session).auditMinRetentionDays());
    }

    /** Without a session to remember it in (realm-level reads outside a request). */
    public static OnboardingPolicy of(RealmModel realm) {
        return load(realm).policy();
    }

    private static Loaded loaded(KeycloakSession session, RealmModel realm) {
        String key = "onboarding-guard.policy." + realm.getId();
        if (session.getAttribute(key) instanceof Loaded remembered) {
            return remembered;
        }
        Loaded loaded = load(realm);
        session.setAttribute(key, loaded);
        return loaded;
    }

    private static Loaded load(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> OnboardingPolicyPageFactory.PROVIDER_ID.equals(c.getProviderId()))
                .findFirst()
                .map(c -> {
                    Parsed last = PARSED.get(realm.getId());
                    if (last != null && last.component() == c) {
                        return last.loaded();
                    }
                    Loaded loaded = parse(realm, c);
                    PARSED.put(realm.getId(), new Parsed(c, loaded));
                    return loaded;
                })
                .orElseGet(() -> new Loaded(OnboardingPolicy.defaults(), null));
    }

    private static Loaded parse(RealmModel realm, ComponentModel component) {
        try {
            return new Loaded(OnboardingPolicy.parse(component.getConfig()), null);
        } catch (PolicyException e) {
            LOG.warnf(
                    "Onboarding policy of realm %s is invalid; hires are refused until it is fixed: %s",
                    realm.getName(), e.getMessage());
            return new Loaded(OnboardingPolicy.defaults(), e.getMessage());
        }
    }
}
