package io.github.onboardingguard.keycloak.cases;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * Access recorded at hire time, or granted by an admin while the hire was not verified yet and
 * held here instead ({@code heldBy}), applied only when the case reaches VERIFIED.
 */
@Entity
@Table(name = "OG_DEFERRED_GRANT")
public class DeferredGrantEntity {

    public enum Kind {
        REALM_ROLE,
        CLIENT_ROLE,
        GROUP
    }

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "CASE_ID", nullable = false)
    private OnboardingCaseEntity onboardingCase;

    @Enumerated(EnumType.STRING)
    @Column(name = "KIND", nullable = false, length = 16)
    private Kind kind;

    /** Internal id of the role or group, so renames do not lose the grant. */
    @Column(name = "TARGET_ID", nullable = false, length = 36)
    private String targetId;

    /** Who granted it while the hire was not verified (user id or system actor); null for grants made at hire time. */
    @Column(name = "HELD_BY", length = 255)
    private String heldBy;

    @Column(name = "HELD_AT")
    private Long heldAt;

    /** When the grant was given to the user at verification; null while it waits. */
    @Column(name = "APPLIED_AT")
    private Long appliedAt;

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

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public String getTargetId() {
        return targetId;
    }

    public void setTargetId(String targetId) {
        this.targetId = targetId;
    }

    public String getHeldBy() {
        return heldBy;
    }

    public void setHeldBy(String heldBy) {
        this.heldBy = heldBy;
    }

    public Long getHeldAt() {
        return heldAt;
    }

    public void setHeldAt(Long heldAt) {
        this.heldAt = heldAt;
    }

    public Long getAppliedAt() {
        return appliedAt;
    }

    public void setAppliedAt(Long appliedAt) {
        this.appliedAt = appliedAt;
    }

    public boolean isHeld() {
        return heldAt != null;
    }
}
