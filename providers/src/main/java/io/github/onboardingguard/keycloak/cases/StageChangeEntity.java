package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One row of a case's stage history; never updated after insert. */
@Entity
@Table(name = "OG_STAGE_CHANGE")
public class StageChangeEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "CASE_ID", nullable = false)
    private OnboardingCaseEntity onboardingCase;

    /** Null for the row that records the case's creation. */
    @Enumerated(EnumType.STRING)
    @Column(name = "FROM_STAGE", length = 32)
    private Stage fromStage;

    @Enumerated(EnumType.STRING)
    @Column(name = "TO_STAGE", nullable = false, length = 32)
    private Stage toStage;

    @Column(name = "AT", nullable = false)
    private long at;

    /** User id of whoever caused the change, or an {@link io.github.onboardingguard.keycloak.audit.Actors} name such as "system:expiry". */
    @Column(name = "ACTOR", nullable = false, length = 255)
    private String actor;

    @Column(name = "REASON", length = StageChangeEntity.REASON_LENGTH)
    private String reason;

    static final int REASON_LENGTH = 1024;

    /**
     * The reason as the history keeps it: a summary that fits the column. The full text a verifier
     * or an admin wrote stays on the verification record and in the audit entry.
     */
    static String fitReason(String reason) {
        return reason == null || reason.length() <= REASON_LENGTH
                ? reason
                : reason.substring(0, REASON_LENGTH - 1) + "…";
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public OnboardingCaseEntity getOnboardingCase() {
        return onboardingCase;
    }

    public void setOnboardingCase(OnboardingCaseEntity onboardingCase) {
        this.onboardingCase = onboardingCase;
    }

    public Stage getFromStage() {
        return fromStage;
    }

    public void setFromStage(Stage fromStage) {
        this.fromStage = fromStage;
    }

    public Stage getToStage() {
        return toStage;
    }

    public void setToStage(Stage toStage) {
        this.toStage = toStage;
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

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
