package io.github.onboardingguard.keycloak.cases;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tell-tale sign observed for a hire, with the evidence that matched and the action taken. */
@Entity
@Table(name = "OG_RISK_SIGNAL")
public class RiskSignalEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "CASE_ID", length = 36)
    private String caseId;

    @Column(name = "USER_ID", nullable = false, length = 255)
    private String userId;

    @Column(name = "RULE", nullable = false, length = 64)
    private String rule;

    @Column(name = "ACTION", nullable = false, length = 16)
    private String action;

    @Column(name = "AT", nullable = false)
    private long at;

    /** JSON: thresholds, matched events, addresses; never secrets. */
    @Column(name = "EVIDENCE", nullable = false, length = 4000)
    private String evidence;

    /** How often the rule fired again for this user within its window after this signal was recorded. */
    @Column(name = "REPEATS", nullable = false)
    private int repeats;

    @Column(name = "LAST_AT")
    private Long lastAt;

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

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public String getEvidence() {
        return evidence;
    }

    public void setEvidence(String evidence) {
        this.evidence = evidence;
    }

    public int getRepeats() {
        return repeats;
    }

    public void setRepeats(int repeats) {
        this.repeats = repeats;
    }

    public Long getLastAt() {
        return lastAt;
    }

    public void setLastAt(Long lastAt) {
        this.lastAt = lastAt;
    }
}
