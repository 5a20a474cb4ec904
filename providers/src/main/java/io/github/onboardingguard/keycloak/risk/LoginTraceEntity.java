package io.github.onboardingguard.keycloak.risk;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A login (or failed login) of a monitored user: where from, for the country and laptop-farm rules. */
@Entity
@Table(name = "OG_LOGIN_TRACE")
public class LoginTraceEntity {

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "USER_ID", nullable = false, length = 255)
    private String userId;

    @Column(name = "AT", nullable = false)
    private long at;

    @Column(name = "KIND", nullable = false, length = 16)
    private String kind;

    @Column(name = "ADDRESS_PREFIX", length = 64)
    private String addressPrefix;

    @Column(name = "COUNTRY", length = 2)
    private String country;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getAddressPrefix() {
        return addressPrefix;
    }

    public void setAddressPrefix(String addressPrefix) {
        this.addressPrefix = addressPrefix;
    }

    public String getCountry() {
        return country;
    }

    public void setCountry(String country) {
        this.country = country;
    }
}
