package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.audit.AuditEntryEntity;
import io.github.onboardingguard.keycloak.audit.AuditHeadEntity;
import io.github.onboardingguard.keycloak.cases.DeferredGrantEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.RiskSignalEntity;
import io.github.onboardingguard.keycloak.cases.StageChangeEntity;
import io.github.onboardingguard.keycloak.risk.LoginTraceEntity;
import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.keycloak.verification.VendorResultEntity;
import io.github.onboardingguard.keycloak.verification.VerificationEntity;
import io.github.onboardingguard.keycloak.webhooks.OutboxEntity;
import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Adds the onboarding tables of every capability to Keycloak's own database and keeps their schema current. */
public final class OnboardingJpaEntityProviderFactory
        implements JpaEntityProviderFactory, OnboardingProviderFactory<JpaEntityProvider> {

    public static final String PROVIDER_ID = "onboarding-guard";
    static final String CHANGELOG = "META-INF/onboarding-guard/changelog-master.xml";
    private static final List<Class<?>> ENTITIES = List.of(
            OnboardingCaseEntity.class,
            DeferredGrantEntity.class,
            StageChangeEntity.class,
            RiskSignalEntity.class,
            CeremonyEntity.class,
            VerificationEntity.class,
            AuditEntryEntity.class,
            AuditHeadEntity.class,
            LoginTraceEntity.class,
            OutboxEntity.class,
            VendorResultEntity.class);

    private static final JpaEntityProvider PROVIDER = new JpaEntityProvider() {
        @Override
        public List<Class<?>> getEntities() {
            return ENTITIES;
        }

        @Override
        public String getChangelogLocation() {
            return CHANGELOG;
        }

        @Override
        public String getFactoryId() {
            return PROVIDER_ID;
        }

        @Override
        public void close() {}
    };

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
