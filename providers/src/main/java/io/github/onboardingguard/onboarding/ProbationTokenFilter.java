package io.github.onboardingguard.onboarding;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Which roles stay in the token of a hire who is not verified yet. */
public final class ProbationTokenFilter {

    private final OnboardingPolicy policy;

    public ProbationTokenFilter(OnboardingPolicy policy) {
        this.policy = policy;
    }

    public Set<String> realmRoles(Collection<String> roles) {
        Set<String> kept = new LinkedHashSet<>();
        for (String role : roles) {
            if (policy.allowsRoleInToken(null, role)) {
                kept.add(role);
            }
        }
        return kept;
    }

    /** Client roles by client id; clients left without a role are dropped. */
    public Map<String, Set<String>> clientRoles(Map<String, ? extends Collection<String>> rolesByClient) {
        Map<String, Set<String>> kept = new LinkedHashMap<>();
        rolesByClient.forEach((clientId, roles) -> {
            Set<String> allowed = new LinkedHashSet<>();
            for (String role : roles) {
                if (policy.allowsRoleInToken(clientId, role)) {
                    allowed.add(role);
                }
            }
            if (!allowed.isEmpty()) {
                kept.put(clientId, allowed);
            }
        });
        return kept;
    }
}
