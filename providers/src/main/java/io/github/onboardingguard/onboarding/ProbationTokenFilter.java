package io.github.onboardingguard.onboarding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which roles stay in the token of a hire who is not verified yet. */
public final class ProbationTokenFilter {

    private final OnboardingPolicy policy;
    private final String realmDefaultRole;

    /** @param realmDefaultRole the realm's default role, which {@value OnboardingPolicy#DEFAULT_ROLES_ENTRY} stands for */
    public ProbationTokenFilter(OnboardingPolicy policy, String realmDefaultRole) {
        this.policy = policy;
        this.realmDefaultRole = realmDefaultRole;
    }

    /**
     * A mapper's claim name as a path: dots nest, a backslash-escaped dot is part of the name
     * (Keycloak's convention: {@code org.team} nests, {@code org\.team} is one name).
     */
    public static List<String> claimPath(String claimName) {
        List<String> path = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < claimName.length(); i++) {
            char c = claimName.charAt(i);
            if (c == '\\' && i + 1 < claimName.length() && claimName.charAt(i + 1) == '.') {
                part.append('.');
                i++;
            } else if (c == '.') {
                path.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        path.add(part.toString());
        return path;
    }

    /** @param clientId null for a realm role */
    public boolean allows(String clientId, String role) {
        return policy.allowsRoleInToken(clientId, role, realmDefaultRole);
    }

    public Set<String> realmRoles(Collection<String> roles) {
        Set<String> kept = new LinkedHashSet<>();
        for (String role : roles) {
            if (policy.allowsRoleInToken(null, role, realmDefaultRole)) {
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
                if (policy.allowsRoleInToken(clientId, role, realmDefaultRole)) {
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
