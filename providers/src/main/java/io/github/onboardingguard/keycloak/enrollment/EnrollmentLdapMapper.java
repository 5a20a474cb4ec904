package io.github.onboardingguard.keycloak.enrollment;

import io.github.onboardingguard.enrollment.ProvisioningPath;
import io.github.onboardingguard.keycloak.audit.Actors;
import java.util.HashSet;
import java.util.Set;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.LDAPConstants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.ldap.LDAPStorageProvider;
import org.keycloak.storage.ldap.idm.model.LDAPObject;
import org.keycloak.storage.ldap.idm.query.internal.LDAPQuery;
import org.keycloak.storage.ldap.mappers.AbstractLDAPStorageMapper;

/**
 * Enrolls the users an LDAP or Active Directory provider imports, at their import (first login,
 * lookup or sync), in the importing transaction. Keycloak tells mappers of an import before the
 * other mappers have set the attributes and before the account is linked to the provider; it
 * hands each account to every mapper once more when it is ready, and that is where the enrollment
 * rules decide.
 */
final class EnrollmentLdapMapper extends AbstractLDAPStorageMapper {

    /** Accounts imported in this session, not yet decided. */
    private static final String IMPORTED = EnrollmentLdapMapper.class.getName() + ".imported";

    EnrollmentLdapMapper(ComponentModel mapperModel, LDAPStorageProvider ldapProvider) {
        super(mapperModel, ldapProvider);
    }

    @Override
    public void onImportUserFromLDAP(LDAPObject ldapUser, UserModel user, RealmModel realm, boolean isCreate) {
        // Without import the account is built anew at each lookup and nothing of it is stored. Keycloak says
        // "create" for re-imports of an existing account too: a new one is not linked to the directory yet.
        if (isCreate
                && ldapProvider.getModel().isImportEnabled()
                && user.getFederationLink() == null
                && user.getFirstAttribute(LDAPConstants.LDAP_ID) == null) {
            imported(getSession()).add(user.getId());
        }
    }

    @Override
    public UserModel proxy(LDAPObject ldapUser, UserModel delegate, RealmModel realm) {
        KeycloakSession session = getSession();
        if (imported(session).remove(delegate.getId())) {
            // The stored account, not the provider's read-only view of it: the case writes to it.
            UserModel stored = UserStoragePrivateUtil.userLocalStorage(session).getUserById(realm, delegate.getId());
            new Enrollment(session, realm)
                    .onCreated(
                            stored,
                            ProvisioningPath.FEDERATION,
                            ldapProvider.getModel().getName(),
                            Actors.ENROLLMENT);
        }
        return delegate;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> imported(KeycloakSession session) {
        Object existing = session.getAttribute(IMPORTED);
        if (existing instanceof Set<?> set) {
            return (Set<String>) set;
        }
        Set<String> created = new HashSet<>();
        session.setAttribute(IMPORTED, created);
        return created;
    }

    @Override
    public void onRegisterUserToLDAP(LDAPObject ldapUser, UserModel localUser, RealmModel realm) {}

    @Override
    public void beforeLDAPQuery(LDAPQuery query) {}
}
