package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.VerificationMethod;
import io.github.onboardingguard.verification.VerificationStep;
import io.github.onboardingguard.verification.VerifiedClaims;
import io.github.onboardingguard.verification.VerifiedClaimsRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.util.JsonSerialization;

/**
 * Opt-in: puts the hire's verification record into the ID token and userinfo as
 * {@code verified_claims}, once the case is VERIFIED. Users without a case, and hires whose session
 * notes show them on probation, cost no query.
 */
public final class VerifiedClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = "onboarding-verified-claims";
    public static final String CLAIM = "verified_claims";
    public static final String TRUST_FRAMEWORK = "trust.framework";
    public static final String DEFAULT_TRUST_FRAMEWORK = "onboarding_guard";

    /** An identifier, as the registered ones are; anything else is refused when the mapper is saved. */
    private static final Pattern TRUST_FRAMEWORK_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private static final List<ProviderConfigProperty> PROPERTIES;

    static {
        List<String> choices = new ArrayList<>(List.of(DEFAULT_TRUST_FRAMEWORK));
        choices.addAll(VerifiedClaims.REGISTERED_TRUST_FRAMEWORKS);
        List<ProviderConfigProperty> properties = ProviderConfigurationBuilder.create()
                .property()
                .name(TRUST_FRAMEWORK)
                .label("Trust framework")
                .type(ProviderConfigProperty.LIST_TYPE)
                .options(choices)
                .defaultValue(DEFAULT_TRUST_FRAMEWORK)
                .helpText(
                        "Value of verification.trust_framework: the rules your organisation verifies new hires under. "
                                + "onboarding_guard names this product's procedure; the others are identifiers registered with the "
                                + "OpenID eKYC-IDA working group. Through the admin API any identifier of letters, digits, _ . : - is accepted.")
                .add()
                .build();
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, VerifiedClaimsMapper.class);
        PROPERTIES = List.copyOf(properties);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Onboarding verified claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds 'verified_claims' (OpenID Identity Assurance Schema Definition 1.0) for hires whose onboarding case "
                + "is VERIFIED: the legal names and the verifier's checks of the document and the person, never images or "
                + "codes. Honours a 'verified_claims' request in the claims parameter.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfig(
            KeycloakSession session,
            RealmModel realm,
            ProtocolMapperContainerModel client,
            ProtocolMapperModel mapperModel)
            throws ProtocolMapperConfigException {
        String trustFramework =
                mapperModel.getConfig() == null ? null : mapperModel.getConfig().get(TRUST_FRAMEWORK);
        if (trustFramework != null
                && !TRUST_FRAMEWORK_VALUE.matcher(trustFramework).matches()) {
            // Keycloak's admin API looks the key up in its messages (and needs one); unknown keys show the message.
            throw new ProtocolMapperConfigException(
                    "Trust framework must be an identifier of letters, digits, _ . : - " + "(at most 64)",
                    "onboardingInvalidTrustFramework");
        }
    }

    @Override
    public IDToken transformIDToken(
            IDToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInIDToken(mappingModel)) {
            putClaim(token, mappingModel, session, userSession, clientSessionCtx, "id_token");
        }
        return token;
    }

    @Override
    public AccessToken transformUserInfoToken(
            AccessToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInUserInfo(mappingModel)) {
            putClaim(token, mappingModel, session, userSession, clientSessionCtx, "userinfo");
        }
        return token;
    }

    /** {@code target}: the claims parameter's member for this token, {@code id_token} or {@code userinfo}. */
    private void putClaim(
            IDToken token,
            ProtocolMapperModel mappingModel,
            KeycloakSession session,
            UserSessionModel userSession,
            ClientSessionContext clientSessionCtx,
            String target) {
        RealmModel realm = userSession.getRealm();
        UserModel user = userSession.getUser();
        if (!CaseLookup.mayHaveCase(user, RealmPolicies.of(session, realm), realm)) {
            return;
        }
        // A hire still on probation, as the session's notes tell (every verification updates them):
        // nothing to attest, and no query on each refresh. Stale notes can only leave the claim out.
        if (SessionNotes.read(userSession)
                .filter(noted -> noted.stage() != Stage.VERIFIED)
                .isPresent()) {
            return;
        }
        OnboardingCaseEntity onboardingCase = new CaseLookup(session, realm)
                .findFor(user)
                .filter(c -> c.getStage() == Stage.VERIFIED)
                .orElse(null);
        if (onboardingCase == null) {
            return;
        }
        List<VerificationEntity> records = new Ceremonies(session, realm).verificationsOf(onboardingCase);
        // Attested only while the profile still carries the names the verifier read from the document.
        Optional<LegalNames> names = LegalNames.latestIn(records).filter(n -> n.matches(user));
        if (names.isEmpty()) {
            return;
        }
        Map<VerificationStep, VerifiedClaims.Approval> latest = new EnumMap<>(VerificationStep.class);
        for (VerificationEntity record : records) {
            if (record.getOutcome() == Outcome.APPROVE) {
                latest.put(
                        record.getStep(),
                        new VerifiedClaims.Approval(
                                record.getStep(),
                                record.getMethod(),
                                Instant.ofEpochMilli(record.getAt()),
                                readChecklist(record),
                                record.getEvidenceRef(),
                                record.getMethod() == VerificationMethod.VENDOR
                                        ? Actors.vendorOf(record.getVerifierId())
                                        : null));
            }
        }
        VerifiedClaims.Approval document = latest.get(VerificationStep.DOCUMENT);
        if (document == null) {
            return;
        }
        String trustFramework = mappingModel.getConfig().getOrDefault(TRUST_FRAMEWORK, DEFAULT_TRUST_FRAMEWORK);
        String organization =
                realm.getDisplayName() == null || realm.getDisplayName().isBlank()
                        ? realm.getName()
                        : realm.getDisplayName();
        Map<String, Object> verifiedClaims = VerifiedClaims.build(
                trustFramework,
                onboardingCase.getId(),
                organization,
                document,
                Optional.ofNullable(latest.get(VerificationStep.IDENTITY)),
                names.get().givenName(),
                names.get().familyName());
        VerifiedClaimsRequest.select(requested(clientSessionCtx, target), verifiedClaims)
                .ifPresent(claim -> token.getOtherClaims().put(CLAIM, claim));
    }

    /** The client's {@code verified_claims} request for this token in the claims parameter, if it made one. */
    private static Object requested(ClientSessionContext clientSessionCtx, String target) {
        String claimsParameter = clientSessionCtx == null
                ? null
                : clientSessionCtx.getClientSession().getNote(OIDCLoginProtocol.CLAIMS_PARAM);
        if (claimsParameter == null || claimsParameter.isBlank()) {
            return null;
        }
        try {
            Map<?, ?> claims = JsonSerialization.readValue(claimsParameter, Map.class);
            return claims.get(target) instanceof Map<?, ?> forTarget ? forTarget.get(CLAIM) : null;
        } catch (IOException e) {
            // Keycloak passes the parameter on unchecked; one that does not parse asks for nothing in particular.
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readChecklist(VerificationEntity record) {
        Object parsed = StoredJson.parse(record.getChecklist());
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
