package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.ExtensionInfo;
import io.github.onboardingguard.onboarding.ProbationTokenFilter;
import io.github.onboardingguard.onboarding.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * Strips every role outside the probation allow-list from the tokens of a hire who is not verified
 * yet, whatever an admin granted, and adds the {@code onboarding} claim. Runs after Keycloak's own
 * mappers, so it sees and filters their output; the filtering cannot be switched off per token type.
 */
public final class ProbationTokenMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper,
                OIDCIDTokenMapper,
                UserInfoTokenMapper,
                TokenIntrospectionTokenMapper,
                ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "onboarding-probation-token-filter";
    public static final String CLAIM = "onboarding";
    /** Keycloak's role and audience mappers use priorities well below this. */
    private static final int RUN_LAST = 10_000;

    private static final Set<String> ROLE_MAPPERS = Set.of(
            "oidc-usermodel-realm-role-mapper",
            "oidc-usermodel-client-role-mapper",
            "oidc-hardcoded-role-mapper",
            "oidc-role-name-mapper");
    private static final Set<String> GROUP_MAPPERS = Set.of("oidc-group-membership-mapper");
    private static final List<String> ROLE_PREFIX_KEYS =
            List.of("usermodel.realmRoleMapping.rolePrefix", "usermodel.clientRoleMapping.rolePrefix");

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Onboarding probation filter";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "For a new hire who is not verified yet: removes every realm and client role outside the onboarding "
                + "policy's token allow-list from access tokens, ID tokens, userinfo and introspection, drops group "
                + "claims, and adds an 'onboarding' claim (stage, deadline, verification level). Users without an "
                + "onboarding case are not touched.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public int getPriority() {
        return RUN_LAST;
    }

    @Override
    public AccessToken transformAccessToken(
            AccessToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        apply(token, session, userSession, clientSessionCtx);
        return token;
    }

    @Override
    public AccessToken transformIntrospectionToken(
            AccessToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        apply(token, session, userSession, clientSessionCtx);
        return token;
    }

    @Override
    public AccessToken transformUserInfoToken(
            AccessToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        apply(token, session, userSession, clientSessionCtx);
        return token;
    }

    @Override
    public IDToken transformIDToken(
            IDToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        apply(token, session, userSession, clientSessionCtx);
        return token;
    }

    private static void apply(
            IDToken token,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        Optional<ProbationDecision> found = ProbationDecision.forSession(session, userSession);
        if (found.isEmpty()) {
            return;
        }
        ProbationDecision decision = found.get();
        Stage stage = decision.stage();
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("stage", stage.name());
        if (stage.isPending()) {
            claim.put("deadline", decision.deadline() / 1000);
        }
        claim.put("verification_level", stage.verificationLevel());
        token.setOtherClaims(CLAIM, claim);
        if (!decision.restricted()) {
            return;
        }
        RoleModel defaultRole = clientSessionCtx.getClientSession().getRealm().getDefaultRole();
        ProbationTokenFilter filter =
                new ProbationTokenFilter(decision.policy(), defaultRole == null ? null : defaultRole.getName());
        String ownClient = clientSessionCtx.getClientSession().getClient().getClientId();
        Set<String> clientsWithRoles = new HashSet<>();
        if (token instanceof AccessToken access) {
            clientsWithRoles = filterAccessToken(access, filter);
        }
        filterAudience(token, decision, ownClient, clientsWithRoles);
        filterClaimMaps(token, filter);
        filterMapperClaims(token, filter, clientSessionCtx);
    }

    /** Only the token's own client, clients whose roles survived, and the policy's clients stay audiences. */
    private static void filterAudience(
            IDToken token, ProbationDecision decision, String ownClient, Set<String> clientsWithRoles) {
        if (token instanceof AccessToken && token.getAudience() != null) {
            token.audience(Arrays.stream(token.getAudience())
                    .filter(aud -> aud.equals(ownClient)
                            || clientsWithRoles.contains(aud)
                            || decision.policy().allowsClient(aud))
                    .toArray(String[]::new));
        }
    }

    /**
     * Claims that role and group mappers write under names of the admin's choosing ("roles",
     * "memberOf", "org.team"), single- or multi-valued: role values outside the allow-list go, group
     * claims go whole (no group is open during probation).
     */
    private static void filterMapperClaims(
            IDToken token, ProbationTokenFilter filter, ClientSessionContext clientSessionCtx) {
        Set<String> forbidden = new HashSet<>();
        List<String> prefixes = new ArrayList<>(List.of(""));
        List<ProtocolMapperModel> mappers =
                clientSessionCtx.getProtocolMappersStream().toList();
        for (ProtocolMapperModel mapper : mappers) {
            for (String key : ROLE_PREFIX_KEYS) {
                String prefix =
                        mapper.getConfig() == null ? null : mapper.getConfig().get(key);
                if (prefix != null && !prefix.isEmpty()) {
                    prefixes.add(prefix);
                }
            }
        }
        clientSessionCtx.getRolesStream().forEach(role -> {
            String clientId = role.isClientRole() && role.getContainer() instanceof ClientModel client
                    ? client.getClientId()
                    : null;
            if (!filter.allows(clientId, role.getName())) {
                for (String prefix : prefixes) {
                    forbidden.add(prefix + role.getName());
                    if (clientId != null) {
                        forbidden.add(prefix + clientId + "." + role.getName());
                    }
                }
            }
        });
        for (ProtocolMapperModel mapper : mappers) {
            String claimName = mapper.getConfig() == null
                    ? null
                    : mapper.getConfig().get(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME);
            if (claimName == null
                    || claimName.isBlank()
                    || claimName.startsWith("resource_access")
                    || claimName.startsWith("realm_access")) {
                continue;
            }
            List<String> path = ProbationTokenFilter.claimPath(claimName.replace("${client_id}", "*"));
            if (GROUP_MAPPERS.contains(mapper.getProtocolMapper())) {
                removePath(token.getOtherClaims(), path, null);
            } else if (ROLE_MAPPERS.contains(mapper.getProtocolMapper())) {
                removePath(token.getOtherClaims(), path, forbidden);
            }
        }
    }

    /** Walks to the claim; with {@code forbidden} null removes it, else removes forbidden values (the claim if single). */
    @SuppressWarnings("unchecked")
    private static void removePath(Map<String, Object> claims, List<String> path, Set<String> forbidden) {
        if (path.isEmpty()) {
            return;
        }
        String head = path.get(0);
        List<String> rest = path.subList(1, path.size());
        List<String> keys = "*".equals(head) ? new ArrayList<>(claims.keySet()) : List.of(head);
        for (String key : keys) {
            Object value = claims.get(key);
            if (value == null) {
                continue;
            }
            if (!rest.isEmpty()) {
                if (value instanceof Map<?, ?> nested) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) nested);
                    removePath(copy, rest, forbidden);
                    claims.put(key, copy);
                }
            } else if (forbidden == null) {
                claims.remove(key);
            } else if (value instanceof Collection<?> values) {
                claims.put(
                        key,
                        values.stream()
                                .filter(v -> !forbidden.contains(String.valueOf(v)))
                                .toList());
            } else if (forbidden.contains(String.valueOf(value))) {
                claims.remove(key);
            }
        }
    }

    /** @return the clients whose roles stay in the token */
    private static Set<String> filterAccessToken(AccessToken token, ProbationTokenFilter filter) {
        if (token.getRealmAccess() != null && token.getRealmAccess().getRoles() != null) {
            token.getRealmAccess()
                    .roles(filter.realmRoles(token.getRealmAccess().getRoles()));
        }
        if (token.getResourceAccess() != null && !token.getResourceAccess().isEmpty()) {
            Map<String, Set<String>> before = new HashMap<>();
            token.getResourceAccess()
                    .forEach((client, access) ->
                            before.put(client, access.getRoles() == null ? Set.of() : access.getRoles()));
            Map<String, Set<String>> kept = filter.clientRoles(before);
            Map<String, AccessToken.Access> filtered = new HashMap<>();
            kept.forEach((client, roles) -> filtered.put(client, new AccessToken.Access().roles(roles)));
            token.setResourceAccess(filtered);
            return kept.keySet();
        }
        return Set.of();
    }

    /** Role claims that mappers put into ID tokens and userinfo as plain JSON, plus group membership. */
    @SuppressWarnings("unchecked")
    private static void filterClaimMaps(IDToken token, ProbationTokenFilter filter) {
        Map<String, Object> claims = token.getOtherClaims();
        if (claims.get("realm_access") instanceof Map<?, ?> realmAccess
                && realmAccess.get("roles") instanceof Collection<?> roles) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) realmAccess);
            copy.put("roles", new ArrayList<>(filter.realmRoles((Collection<String>) roles)));
            claims.put("realm_access", copy);
        }
        if (claims.get("resource_access") instanceof Map<?, ?> resourceAccess) {
            Map<String, Collection<String>> before = new HashMap<>();
            resourceAccess.forEach((client, access) -> {
                if (access instanceof Map<?, ?> accessMap && accessMap.get("roles") instanceof Collection<?> roles) {
                    before.put((String) client, (Collection<String>) roles);
                }
            });
            Map<String, Object> filtered = new LinkedHashMap<>();
            filter.clientRoles(before)
                    .forEach((client, roles) -> filtered.put(client, Map.of("roles", new ArrayList<>(roles))));
            claims.put("resource_access", filtered);
        }
        claims.remove("groups");
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
