package io.github.onboardingguard.keycloak.verification;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.VerificationStep;
import io.github.onboardingguard.verification.VerifiedClaims;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.IDToken;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opt-in: puts the hire's verification record into the ID token and userinfo as
 * {@code verified_claims}, once the case is VERIFIED. Users without a case cost no query.
 */
public final class VerifiedClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = "onboarding-verified-claims";
    public static final String CLAIM = "verified_claims";
    public static final String TRUST_FRAMEWORK = "trust.framework";
    public static final String DEFAULT_TRUST_FRAMEWORK = "onboarding_guard";

    private static final List<ProviderConfigProperty> PROPERTIES;

    static {
        List<ProviderConfigProperty> properties = ProviderConfigurationBuilder.create()
                .property().name(TRUST_FRAMEWORK).label("Trust framework")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_TRUST_FRAMEWORK)
                .helpText("Value of verification.trust_framework: the rules your organisation verifies new hires under.")
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
        return "Adds 'verified_claims' (OpenID Connect for Identity Assurance) for hires whose onboarding case is "
                + "VERIFIED: document and vouch evidence from the verification ceremonies, never images or codes.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        RealmModel realm = userSession.getRealm();
        UserModel user = userSession.getUser();
        if (!OnboardingCases.mayHaveCase(user, RealmPolicies.of(session, realm), realm)) {
            return;
        }
        OnboardingCaseEntity onboardingCase = new OnboardingCases(session, realm).findFor(user)
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
                latest.put(record.getStep(), new VerifiedClaims.Approval(record.getStep(), record.getMethod(),
                        Instant.ofEpochMilli(record.getAt()), readChecklist(record), record.getEvidenceRef()));
            }
        }
        String trustFramework = mappingModel.getConfig().getOrDefault(TRUST_FRAMEWORK, DEFAULT_TRUST_FRAMEWORK);
        String organization = realm.getDisplayName() == null || realm.getDisplayName().isBlank()
                ? realm.getName() : realm.getDisplayName();
        token.getOtherClaims().put(CLAIM, VerifiedClaims.build(trustFramework, onboardingCase.getId(), organization,
                List.copyOf(latest.values()), names.get().givenName(), names.get().familyName()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readChecklist(VerificationEntity record) {
        Object parsed = StoredJson.parse(record.getChecklist());
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
