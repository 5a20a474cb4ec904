package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.audit.AuditRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audit entry. Rows are only ever inserted, and deleted only by retention pruning. */
@Entity
@Table(name = "OG_AUDIT_ENTRY")
public class AuditEntryEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "SEQ", nullable = false)
    private long seq;

    @Column(name = "AT", nullable = false)
    private long at;

    @Column(name = "ACTOR", nullable = false, length = 255)
    private String actor;

    @Column(name = "SUBJECT", length = 255)
    private String subject;

    @Column(name = "TYPE", nullable = false, length = 64)
    private String type;

    @Column(name = "DETAILS", nullable = false, length = 4000)
    private String details;

    @Column(name = "PREV_HASH", nullable = false, length = 64)
    private String prevHash;

    @Column(name = "HASH", nullable = false, length = 64)
    private String hash;

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

    public long getSeq() {
        return seq;
    }

    public void setSeq(long seq) {
        this.seq = seq;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public String getActor() {
        return actor;
    }

    public void setActor(String actor) {
        this.actor = actor;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getDetails() {
        return details;
    }

    public void setDetails(String details) {
        this.details = details;
    }

    public String getPrevHash() {
        return prevHash;
    }

    public void setPrevHash(String prevHash) {
        this.prevHash = prevHash;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public AuditRecord toRecord() {
        return new AuditRecord(realmId, seq, at, actor, subject, type, details, prevHash, hash);
    }
}
