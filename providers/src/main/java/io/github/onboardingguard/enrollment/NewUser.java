package io.github.onboardingguard.enrollment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user as seen in the transaction that created them: how they came, and what they were
 * provisioned with that a rule can narrow on.
 *
 * @param source     the identity provider's alias or the federation provider's name; null for other paths
 * @param groupPaths    the full paths of the groups they are in, e.g. {@code /engineering/platform}
 * @param organizations the aliases of the organizations they are a member of
 */
public record NewUser(
        ProvisioningPath path,
        String source,
        Set<String> groupPaths,
        Set<String> organizations,
        Map<String, List<String>> attributes) {

    public NewUser {
        groupPaths = Set.copyOf(groupPaths);
        organizations = Set.copyOf(organizations);
        attributes = Map.copyOf(attributes);
    }
}
