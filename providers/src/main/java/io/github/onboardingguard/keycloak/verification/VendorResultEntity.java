package io.github.onboardingguard.keycloak.verification;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An identity-verification vendor's result as its signed callback delivered it, one row per
 * message: the message id is unique per realm and vendor, so a replay is refused.
 */
@Entity
@Table(name = "OG_VENDOR_RESULT")
public class VendorResultEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "CASE_ID", nullable = false, length = 36)
    private String caseId;

    /** The vendor's name: the name of its entry on the realm's vendors page. */
    @Column(name = "VENDOR", nullable = false, length = 64)
    private String vendor;

    @Column(name = "MESSAGE_ID", nullable = false, length = 128)
    private String messageId;

    @Column(name = "STATUS", nullable = false, length = 16)
    private String status;

    /** The result in the vendor-neutral shape, as JSON. */
    @Column(name = "RESULT", nullable = false, length = 4000)
    private String result;

    /** The steps the result stood in for, comma-separated (DOCUMENT, IDENTITY); null for none. */
    @Column(name = "STOOD_IN_FOR", length = 32)
    private String stoodInFor;

    @Column(name = "RECEIVED_AT", nullable = false)
    private long receivedAt;

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

    public String getCaseId() {
        return caseId;
    }

    public void setCaseId(String caseId) {
        this.caseId = caseId;
    }

    public String getVendor() {
        return vendor;
    }

    public void setVendor(String vendor) {
        this.vendor = vendor;
    }

    public String getMessageId() {
        return messageId;
    }

    public void setMessageId(String messageId) {
        this.messageId = messageId;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getStoodInFor() {
        return stoodInFor;
    }

    public void setStoodInFor(String stoodInFor) {
        this.stoodInFor = stoodInFor;
    }

    public long getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(long receivedAt) {
        this.receivedAt = receivedAt;
    }
}
