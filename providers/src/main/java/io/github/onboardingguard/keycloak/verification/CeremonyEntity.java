package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.verification.VerificationMethod;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.List;

/**
 * A verification ceremony a verifier opened for one step of one case. The code the hire reads
 * out is kept only as a salted hash, together with the hire's session it was shown in.
 */
@Entity
@Table(name = "OG_CEREMONY")
public class CeremonyEntity {

    public enum Status {
        OPEN,
        COMPLETED,
        LOCKED,
        CANCELLED
    }

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "CASE_ID", nullable = false, length = 36)
    private String caseId;

    @Enumerated(EnumType.STRING)
    @Column(name = "STEP", nullable = false, length = 16)
    private VerificationStep step;

    @Enumerated(EnumType.STRING)
    @Column(name = "METHOD", nullable = false, length = 16)
    private VerificationMethod method;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", nullable = false, length = 16)
    private Status status;

    @Column(name = "VERIFIER_ID", nullable = false, length = 255)
    private String verifierId;

    @Column(name = "OPENED_AT", nullable = false)
    private long openedAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "CLOSED_AT")
    private Long closedAt;

    @Column(name = "CODE_SALT", length = 32)
    private String codeSalt;

    @Column(name = "CODE_HASH", length = 64)
    private String codeHash;

    @Column(name = "CODE_EXPIRES_AT")
    private Long codeExpiresAt;

    /** The hire's authentication / user session the code was shown in (they share one id). */
    /** The sponsor who confirmed that the person in this ceremony is the one they hired (policy sponsorAttestation). */
    @Column(name = "SPONSOR_ATTESTED_BY", length = 255)
    private String sponsorAttestedBy;

    @Column(name = "SPONSOR_ATTESTED_AT")
    private Long sponsorAttestedAt;

    /** The case's sponsor when the ceremony opened: only they may attest in it. */
    @Column(name = "SPONSOR_AT_OPEN", length = 255)
    private String sponsorAtOpen;

    /** WebAuthn ids (base64url) of passkeys registered during the ceremony whose backup-eligible flag was off. */
    @Column(name = "DEVICE_BOUND_PASSKEYS", length = 2000)
    private String deviceBoundPasskeys;

    @Column(name = "HIRE_SESSION_ID", length = 64)
    private String hireSessionId;

    @Column(name = "FAILED_ATTEMPTS", nullable = false)
    private int failedAttempts;

    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

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

    public VerificationStep getStep() {
        return step;
    }

    public void setStep(VerificationStep step) {
        this.step = step;
    }

    public VerificationMethod getMethod() {
        return method;
    }

    public void setMethod(VerificationMethod method) {
        this.method = method;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status) {
        this.status = status;
    }

    public String getVerifierId() {
        return verifierId;
    }

    public void setVerifierId(String verifierId) {
        this.verifierId = verifierId;
    }

    public long getOpenedAt() {
        return openedAt;
    }

    public void setOpenedAt(long openedAt) {
        this.openedAt = openedAt;
    }

    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Long getClosedAt() {
        return closedAt;
    }

    public void setClosedAt(Long closedAt) {
        this.closedAt = closedAt;
    }

    public String getCodeSalt() {
        return codeSalt;
    }

    public void setCodeSalt(String codeSalt) {
        this.codeSalt = codeSalt;
    }

    public String getCodeHash() {
        return codeHash;
    }

    public void setCodeHash(String codeHash) {
        this.codeHash = codeHash;
    }

    public Long getCodeExpiresAt() {
        return codeExpiresAt;
    }

    public void setCodeExpiresAt(Long codeExpiresAt) {
        this.codeExpiresAt = codeExpiresAt;
    }

    public String getHireSessionId() {
        return hireSessionId;
    }

    public void setHireSessionId(String hireSessionId) {
        this.hireSessionId = hireSessionId;
    }

    public int getFailedAttempts() {
        return failedAttempts;
    }

    public void setFailedAttempts(int failedAttempts) {
        this.failedAttempts = failedAttempts;
    }

    public int getVersion() {
        return version;
    }

    /** Open, and not past the ceremony's own time limit. */
    public boolean isOpenAt(long now) {
        return status == Status.OPEN && now < expiresAt;
    }

    public String getSponsorAttestedBy() {
        return sponsorAttestedBy;
    }

    public Long getSponsorAttestedAt() {
        return sponsorAttestedAt;
    }

    public void attestBySponsor(String sponsorId, long at) {
        this.sponsorAttestedBy = sponsorId;
        this.sponsorAttestedAt = at;
    }

    public boolean registeredDeviceBound(String webAuthnId) {
        return deviceBoundPasskeys != null
                && List.of(deviceBoundPasskeys.split(" ")).contains(webAuthnId);
    }

    /** Notes a passkey seen registered without the backup-eligible flag; false if the column is full. */
    public boolean noteDeviceBound(String webAuthnId) {
        String noted = deviceBoundPasskeys == null ? webAuthnId : deviceBoundPasskeys + " " + webAuthnId;
        if (noted.length() > 2000) {
            return false;
        }
        deviceBoundPasskeys = noted;
        return true;
    }

    public String getSponsorAtOpen() {
        return sponsorAtOpen;
    }

    public void setSponsorAtOpen(String sponsorAtOpen) {
        this.sponsorAtOpen = sponsorAtOpen;
    }
}
