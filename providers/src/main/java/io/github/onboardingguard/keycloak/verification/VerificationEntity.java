package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.VerificationMethod;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The result of a ceremony: who verified the hire, how, what they checked, and what it led to. */
@Entity
@Table(name = "OG_VERIFICATION")
public class VerificationEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "CASE_ID", nullable = false, length = 36)
    private String caseId;

    @Column(name = "CEREMONY_ID", nullable = false, length = 36)
    private String ceremonyId;

    @Enumerated(EnumType.STRING)
    @Column(name = "STEP", nullable = false, length = 16)
    private VerificationStep step;

    @Enumerated(EnumType.STRING)
    @Column(name = "METHOD", nullable = false, length = 16)
    private VerificationMethod method;

    @Enumerated(EnumType.STRING)
    @Column(name = "OUTCOME", nullable = false, length = 16)
    private Outcome outcome;

    @Column(name = "VERIFIER_ID", nullable = false, length = 255)
    private String verifierId;

    @Column(name = "AT", nullable = false)
    private long at;

    /** The checklist as JSON; closed values plus at most 1000 characters of notes. */
    @Column(name = "CHECKLIST", nullable = false, length = 4000)
    private String checklist;

    @Column(name = "EVIDENCE_REF", nullable = false, length = 128)
    private String evidenceRef;

    @Column(name = "REASON", length = 1024)
    private String reason;

    /** The case's verification level after this result (none, document, verified). */
    @Column(name = "RESULT_LEVEL", nullable = false, length = 16)
    private String resultLevel;

    /** The passkey bound during an identity ceremony, if the policy asks for one. */
    @Column(name = "CREDENTIAL_ID", length = 36)
    private String credentialId;

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

    public String getCeremonyId() {
        return ceremonyId;
    }

    public void setCeremonyId(String ceremonyId) {
        this.ceremonyId = ceremonyId;
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

    public Outcome getOutcome() {
        return outcome;
    }

    public void setOutcome(Outcome outcome) {
        this.outcome = outcome;
    }

    public String getVerifierId() {
        return verifierId;
    }

    public void setVerifierId(String verifierId) {
        this.verifierId = verifierId;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public String getChecklist() {
        return checklist;
    }

    public void setChecklist(String checklist) {
        this.checklist = checklist;
    }

    public String getEvidenceRef() {
        return evidenceRef;
    }

    public void setEvidenceRef(String evidenceRef) {
        this.evidenceRef = evidenceRef;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getResultLevel() {
        return resultLevel;
    }

    public void setResultLevel(String resultLevel) {
        this.resultLevel = resultLevel;
    }

    public String getCredentialId() {
        return credentialId;
    }

    public void setCredentialId(String credentialId) {
        this.credentialId = credentialId;
    }
}
