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

/** Access recorded at hire time and applied only when the case reaches VERIFIED. */
@Entity
@Table(name = "OG_DEFERRED_GRANT")
public class DeferredGrantEntity {

    public enum Kind { REALM_ROLE, CLIENT_ROLE, GROUP }

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

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public OnboardingCaseEntity getOnboardingCase() { return onboardingCase; }
    public void setOnboardingCase(OnboardingCaseEntity onboardingCase) { this.onboardingCase = onboardingCase; }
    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }
    public String getTargetId() { return targetId; }
    public void setTargetId(String targetId) { this.targetId = targetId; }
}
