package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;

/** One onboarding case per hire and realm. Times are epoch milliseconds, as elsewhere in Keycloak. */
@Entity
@Table(name = "OG_CASE")
public class OnboardingCaseEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "USER_ID", nullable = false, length = 255)
    private String userId;

    @Enumerated(EnumType.STRING)
    @Column(name = "STAGE", nullable = false, length = 32)
    private Stage stage;

    /** The stage a SUSPENDED case returns to when reinstated. */
    @Enumerated(EnumType.STRING)
    @Column(name = "SUSPENDED_FROM", length = 32)
    private Stage suspendedFrom;

    @Column(name = "SPONSOR_ID", length = 255)
    private String sponsorId;

    @Column(name = "CREATED_BY", length = 255)
    private String createdBy;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "PROBATION_STARTED_AT")
    private Long probationStartedAt;

    @Column(name = "DEADLINE", nullable = false)
    private long deadline;

    /** The passkey registered during the identity ceremony, when the policy binds one. */
    @Column(name = "VERIFIED_CREDENTIAL_ID", length = 36)
    private String verifiedCredentialId;

    /** Hashes of the contact fields as last seen ({@link io.github.onboardingguard.risk.ContactFingerprint}). */
    @Column(name = "CONTACT_FINGERPRINT", length = 1000)
    private String contactFingerprint;

    /** The user federation provider the account belonged to at opening (null: a local account). */
    @Column(name = "FEDERATION_LINK", length = 255)
    private String federationLink;

    /** The nonce of the invitation link the hire may use; a resent invitation replaces it. */
    @Column(name = "INVITATION_NONCE", length = 36)
    private String invitationNonce;

    /** The account's email when the hire was last verified: recovery notices go there too. */
    @Column(name = "VERIFIED_EMAIL", length = 255)
    private String verifiedEmail;

    @Column(name = "VERIFIED_AT")
    private Long verifiedAt;

    /** The credentials last judged (see CredentialFingerprint); null before the first judgement. */
    @Column(name = "CREDENTIAL_FINGERPRINT", length = 64)
    private String credentialFingerprint;

    /** When the hire is due to be verified again; null: not worked out yet; 0: never. */
    @Column(name = "REVERIFY_DUE_AT")
    private Long reverifyDueAt;

    @Column(name = "INVITATION_SENT_AT")
    private Long invitationSentAt;

    @Column(name = "INVITATION_EXPIRES_AT")
    private Long invitationExpiresAt;

    /** The reminder before the deadline last sent, in days before it; null: none since the deadline was set. */
    @Column(name = "REMINDED_DAYS")
    private Integer remindedDays;

    /** How the hire arrived: a provisioning path, or onboarding-api; null for cases opened before it was kept. */
    @Column(name = "PATH", length = 32)
    private String path;

    /** When the case first reached VERIFIED; a re-verification does not move it. */
    @Column(name = "FIRST_VERIFIED_AT")
    private Long firstVerifiedAt;

    /** The hiring system's applicant record (name, email, phone, reference) as JSON; null when none was passed. */
    @Column(name = "APPLICANT", length = 2000)
    private String applicant;

    /** Where the hire's equipment ships, as given (JSON); null when none. */
    @Column(name = "SHIPPING_ADDRESS", length = 2000)
    private String shippingAddress;

    /** The shipping address's building key (SHA-256 hex), to find other cases shipping there. */
    @Column(name = "SHIPPING_KEY", length = 64)
    private String shippingKey;

    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    @OneToMany(mappedBy = "onboardingCase", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<DeferredGrantEntity> deferredGrants = new ArrayList<>();

    @OneToMany(mappedBy = "onboardingCase", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("at ASC, id ASC")
    private List<StageChangeEntity> history = new ArrayList<>();

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

    public Stage getStage() {
        return stage;
    }

    public void setStage(Stage stage) {
        this.stage = stage;
    }

    public Stage getSuspendedFrom() {
        return suspendedFrom;
    }

    public void setSuspendedFrom(Stage suspendedFrom) {
        this.suspendedFrom = suspendedFrom;
    }

    public String getSponsorId() {
        return sponsorId;
    }

    public void setSponsorId(String sponsorId) {
        this.sponsorId = sponsorId;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public String getContactFingerprint() {
        return contactFingerprint;
    }

    public void setContactFingerprint(String contactFingerprint) {
        this.contactFingerprint = contactFingerprint;
    }

    public void setCreatedBy(String createdBy) {
        this.createdBy = createdBy;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public Long getProbationStartedAt() {
        return probationStartedAt;
    }

    public void setProbationStartedAt(Long probationStartedAt) {
        this.probationStartedAt = probationStartedAt;
    }

    public long getDeadline() {
        return deadline;
    }

    /**
     * A deadline moved later by a day or more starts the reminders before it afresh; smaller moves
     * do not, so nudging the deadline cannot turn reminders into a stream of mail.
     */
    public void setDeadline(long deadline) {
        if (deadline - this.deadline >= java.time.Duration.ofDays(1).toMillis()) {
            this.remindedDays = null;
        }
        this.deadline = deadline;
    }

    public String getFederationLink() {
        return federationLink;
    }

    public void setFederationLink(String federationLink) {
        this.federationLink = federationLink;
    }

    public String getVerifiedCredentialId() {
        return verifiedCredentialId;
    }

    public void setVerifiedCredentialId(String verifiedCredentialId) {
        this.verifiedCredentialId = verifiedCredentialId;
    }

    public String getInvitationNonce() {
        return invitationNonce;
    }

    public String getVerifiedEmail() {
        return verifiedEmail;
    }

    public void setVerifiedEmail(String verifiedEmail) {
        this.verifiedEmail = verifiedEmail;
    }

    public Long getVerifiedAt() {
        return verifiedAt;
    }

    public void setVerifiedAt(Long verifiedAt) {
        this.verifiedAt = verifiedAt;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Long getFirstVerifiedAt() {
        return firstVerifiedAt;
    }

    public void setFirstVerifiedAt(Long firstVerifiedAt) {
        this.firstVerifiedAt = firstVerifiedAt;
    }

    public String getApplicant() {
        return applicant;
    }

    public void setApplicant(String applicant) {
        this.applicant = applicant;
    }

    public String getShippingAddress() {
        return shippingAddress;
    }

    public void setShippingAddress(String shippingAddress) {
        this.shippingAddress = shippingAddress;
    }

    public String getShippingKey() {
        return shippingKey;
    }

    public void setShippingKey(String shippingKey) {
        this.shippingKey = shippingKey;
    }

    public String getCredentialFingerprint() {
        return credentialFingerprint;
    }

    public void setCredentialFingerprint(String credentialFingerprint) {
        this.credentialFingerprint = credentialFingerprint;
    }

    public Long getReverifyDueAt() {
        return reverifyDueAt;
    }

    public void setReverifyDueAt(Long reverifyDueAt) {
        this.reverifyDueAt = reverifyDueAt;
    }

    public Long getInvitationSentAt() {
        return invitationSentAt;
    }

    public Long getInvitationExpiresAt() {
        return invitationExpiresAt;
    }

    public void setInvitation(String nonce, Long sentAt, Long expiresAt) {
        this.invitationNonce = nonce;
        this.invitationSentAt = sentAt;
        this.invitationExpiresAt = expiresAt;
    }

    public Integer getRemindedDays() {
        return remindedDays;
    }

    public void setRemindedDays(Integer remindedDays) {
        this.remindedDays = remindedDays;
    }

    public int getVersion() {
        return version;
    }

    public List<DeferredGrantEntity> getDeferredGrants() {
        return deferredGrants;
    }

    public List<StageChangeEntity> getHistory() {
        return history;
    }
}
