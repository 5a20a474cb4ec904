package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.RiskSignalEntity;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.verification.Checklist;
import io.github.onboardingguard.verification.EvidenceReference;
import io.github.onboardingguard.verification.VerificationStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** JSON views of ceremonies, verification records and risk signals, for verifiers and auditors. Never the code. */
public final class VerificationViews {

    private final KeycloakSession session;
    private final RealmModel realm;

    public VerificationViews(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** A case's verification results, ceremonies, vendors' results and risk signals, as verifiers and auditors see them. */
    public Map<String, Object> records(OnboardingCaseEntity onboardingCase) {
        Ceremonies ceremonies = new Ceremonies(session, realm);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(
                "verifications",
                ceremonies.verificationsOf(onboardingCase).stream()
                        .map(this::verification)
                        .toList());
        view.put(
                "ceremonies",
                ceremonies.ceremoniesOf(onboardingCase).stream()
                        .map(this::ceremony)
                        .toList());
        view.put(
                "vendorResults",
                new VendorResults(session)
                        .ofCase(realm.getId(), onboardingCase.getId()).stream()
                                .map(VendorResults::view)
                                .toList());
        view.put(
                "signals",
                new RiskSignals(session)
                        .forCase(realm.getId(), onboardingCase.getId()).stream()
                                .map(this::signal)
                                .toList());
        return view;
    }

    public Map<String, Object> ceremony(CeremonyEntity ceremony) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        long now = System.currentTimeMillis();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", ceremony.getId());
        view.put("caseId", ceremony.getCaseId());
        view.put("step", ceremony.getStep().name());
        view.put("method", ceremony.getMethod().name());
        view.put(
                "status",
                ceremony.getStatus() == CeremonyEntity.Status.OPEN && !ceremony.isOpenAt(now)
                        ? "EXPIRED"
                        : ceremony.getStatus().name());
        view.put("verifier", username(ceremony.getVerifierId()));
        view.put("openedAt", Instants.iso(ceremony.getOpenedAt()));
        view.put("expiresAt", Instants.iso(ceremony.getExpiresAt()));
        boolean codeValid = ceremony.getCodeExpiresAt() != null && now < ceremony.getCodeExpiresAt();
        view.put("codeShown", ceremony.getCodeHash() != null);
        view.put("codeValid", codeValid);
        view.put("codeExpiresAt", Instants.iso(ceremony.getCodeExpiresAt()));
        view.put("failedAttempts", ceremony.getFailedAttempts());
        view.put("attemptsLeft", Math.max(0, policy.ceremonyMaxAttempts() - ceremony.getFailedAttempts()));
        boolean passkeyRequired = ceremony.getStep().seesThePerson() && policy.passkeyBinding();
        view.put("passkeyRequired", passkeyRequired);
        if (passkeyRequired) {
            // What the verifier compares with what they saw registered on camera; more than one blocks approval.
            view.put(
                    "passkeys",
                    passkeysOf(ceremony).stream().map(Ceremonies::passkeyView).toList());
        }
        view.put("checklist", Checklist.checks(ceremony.getStep(), ceremony.getMethod()));
        if (ceremony.getStep() == VerificationStep.IDENTITY) {
            Map<String, Object> attestation = new LinkedHashMap<>();
            attestation.put("required", policy.sponsorAttestation());
            attestation.put("attestedAt", Instants.iso(ceremony.getSponsorAttestedAt()));
            view.put("sponsorAttestation", attestation);
        }
        return view;
    }

    private List<CredentialModel> passkeysOf(CeremonyEntity ceremony) {
        return new OnboardingCases(session, realm)
                .store()
                .findById(realm.getId(), ceremony.getCaseId())
                .map(c -> session.users().getUserById(realm, c.getUserId()))
                .map(hire -> Ceremonies.passkeysRegisteredDuring(hire, ceremony))
                .orElse(List.of());
    }

    public Map<String, Object> verification(VerificationEntity record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.getId());
        view.put("ceremonyId", record.getCeremonyId());
        view.put("step", record.getStep().name());
        view.put("method", record.getMethod().name());
        view.put("outcome", record.getOutcome().name());
        String vendor = Actors.vendorOf(record.getVerifierId());
        view.put("verifier", vendor == null ? username(record.getVerifierId()) : vendor);
        view.put("at", Instants.iso(record.getAt()));
        view.put("checklist", StoredJson.parse(record.getChecklist()));
        view.put(EvidenceReference.FIELD, record.getEvidenceRef());
        view.put("reason", record.getReason());
        view.put("resultLevel", record.getResultLevel());
        view.put("credentialId", record.getCredentialId());
        return view;
    }

    public Map<String, Object> signal(RiskSignalEntity signal) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", signal.getId());
        view.put("rule", signal.getRule());
        view.put("action", signal.getAction());
        view.put("at", Instants.iso(signal.getAt()));
        view.put("repeats", signal.getRepeats());
        view.put("lastAt", Instants.iso(signal.getLastAt()));
        view.put("evidence", StoredJson.parse(signal.getEvidence()));
        return view;
    }

    public String username(String userId) {
        return Users.username(session, realm, userId);
    }
}
