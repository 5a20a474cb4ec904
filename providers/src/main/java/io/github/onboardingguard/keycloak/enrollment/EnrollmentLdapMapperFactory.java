package io.github.onboardingguard.keycloak.enrollment;

import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.ldap.LDAPStorageProvider;
import org.keycloak.storage.ldap.mappers.AbstractLDAPStorageMapper;
import org.keycloak.storage.ldap.mappers.AbstractLDAPStorageMapperFactory;

/** The "Onboarding enrollment" mapper an admin adds to an LDAP provider whose users the enrollment rules cover. */
public final class EnrollmentLdapMapperFactory extends AbstractLDAPStorageMapperFactory {

    public static final String PROVIDER_ID = "onboarding-enrollment-ldap-mapper";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Opens an onboarding case for each user this provider imports when the onboarding policy's "
                + "enrollment rules cover them (rule 'federation:<this provider's name>'). Needs import on.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel config)
            throws ComponentValidationException {
        ComponentModel parent = realm.getComponent(config.getParentId());
        if (parent != null && !new UserStorageProviderModel(parent).isImportEnabled()) {
            throw new ComponentValidationException(
                    "Enrollment needs the provider's users imported ('Import users' on): without import nothing of "
                            + "them is stored, a case neither");
        }
    }

    @Override
    protected AbstractLDAPStorageMapper createMapper(ComponentModel mapperModel, LDAPStorageProvider ldapProvider) {
        return new EnrollmentLdapMapper(mapperModel, ldapProvider);
    }
}
