package io.github.onboardingguard.enrollment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a user came to exist in a realm: the door an enrollment rule names. */
public enum ProvisioningPath {
    /** The admin console or the admin REST API ({@code POST /admin/realms/{realm}/users}). */
    ADMIN("admin", false),
    /** Keycloak's SCIM API (feature {@code scim-api}), as an HR system provisions. */
    SCIM("scim", false),
    /** A user federation (LDAP, Active Directory) importing a user; the source is the provider's name. */
    FEDERATION("federation", true),
    /** The first login through an identity provider; the source is its alias. */
    IDENTITY_PROVIDER("identity-provider", true),
    /** Self-registration on the login page. */
    REGISTRATION("registration", false);

    private final String token;
    private final boolean hasSource;

    ProvisioningPath(String token, boolean hasSource) {
        this.token = token;
        this.hasSource = hasSource;
    }

    /** The name rules and the audit trail use. */
    public String token() {
        return token;
    }

    /** Whether the path is narrowed by a source (a provider's name or alias). */
    public boolean hasSource() {
        return hasSource;
    }

    public static Optional<ProvisioningPath> ofToken(String token) {
        String wanted = token.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.token.equals(wanted)).findFirst();
    }
}
