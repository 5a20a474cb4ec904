package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.audit.CanonicalJson;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.BoundPasskey;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.verification.CeremonyCode;
import io.github.onboardingguard.verification.Checklist;
import io.github.onboardingguard.verification.OnboardingRecord;
import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.SeparationOfDuties;
import io.github.onboardingguard.verification.VerificationMethod;
import io.github.onboardingguard.verification.VerificationStep;
import io.github.onboardingguard.webhooks.WebhookEvents;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Verification ceremonies: a verifier opens one for a step of a case, the hire's status page shows
 * a one-time code bound to the hire's session, and the verifier submits the result with that
 * code. Every rule is checked here, on the server, before anything is written.
 */
public final class Ceremonies {

    /** A ceremony is a call in progress; one left open this long is no longer trusted. */
    public static final Duration LIFETIME = Duration.ofHours(1);
    /** How long a passed helpdesk check lets its helpdesk member reset the hire's credentials. */
    public static final Duration HELPDESK_RESET_WINDOW = Duration.ofMinutes(15);
    /** A helpdesk check is one phone call: a passkey sign-in hours later must not pass a check left open. */
    public static final Duration HELPDESK_LIFETIME = Duration.ofMinutes(10);

    public static final String RULE_CODE_LOCKOUT = "ceremony_code_lockout";
    private static final int UNPROCESSABLE = 422;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CeremonyStore store;
    private final OnboardingCases cases;

    public Ceremonies(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new CeremonyStore(session);
        this.cases = new OnboardingCases(session, realm);
    }

    public CaseStore caseStore() {
        return cases.store();
    }

    public Optional<CeremonyEntity> find(String ceremonyId) {
        return store.findById(realm.getId(), ceremonyId);
    }

    public List<CeremonyEntity> ceremoniesOf(OnboardingCaseEntity onboardingCase) {
        return store.ceremoniesOf(realm.getId(), onboardingCase.getId());
    }

    public List<VerificationEntity> verificationsOf(OnboardingCaseEntity onboardingCase) {
        return store.verificationsOf(realm.getId(), onboardingCase.getId());
    }

    public Optional<CeremonyEntity> openFor(OnboardingCaseEntity onboardingCase) {
        return store.openForCase(onboardingCase.getId(), System.currentTimeMillis());
    }

    /** Opens a ceremony, closing any other open one of the case: only one call happens at a time. */
    public CeremonyEntity open(
            OnboardingCaseEntity onboardingCase, VerificationStep step, VerificationMethod method, UserModel verifier) {
        checkRules(onboardingCase, step, verifier);
        return persistOpen(onboardingCase, step, method, verifier, LIFETIME);
    }

    /**
     * The sponsor confirms, while the identity ceremony is open, that the person on the call is the one
     * they interviewed and hired. Bound to this ceremony: a new ceremony needs a new confirmation. The
     * sponsor never verifies (separation of duties); this is their word, recorded next to the verifier's.
     */
    public void attestAsSponsor(CeremonyEntity ceremony, UserModel sponsor) {
        long now = System.currentTimeMillis();
        OnboardingCaseEntity onboardingCase = cases.store()
                .findById(realm.getId(), ceremony.getCaseId())
                // The sponsor when the call began: an admin who names someone else during the call names no attester.
                .filter(c -> sponsor.getId().equals(c.getSponsorId())
                        && sponsor.getId().equals(ceremony.getSponsorAtOpen()))
                .filter(c -> ceremony.getStep() == VerificationStep.IDENTITY)
                .orElseThrow(() -> ApiError.notFound(
                        "No identity ceremony of a hire you sponsor with id '" + ceremony.getId() + "'"));
        if (ceremony.getStatus() != CeremonyEntity.Status.OPEN || !ceremony.isOpenAt(now)) {
            throw ApiError.conflict("ceremony_closed", "This ceremony is no longer open");
        }
        ceremony.attestBySponsor(sponsor.getId(), now);
        audit(ceremony, sponsor.getId(), onboardingCase.getUserId(), "ceremony.sponsor_attested", Map.of());
        flushOrConflict();
    }

    /** The open identity ceremonies of the hires this user sponsors. */
    public List<CeremonyEntity> openIdentityCeremoniesSponsoredBy(UserModel sponsor) {
        return cases.store().awaitingIdentityOfSponsor(realm.getId(), sponsor.getId(), 200).stream()
                .map(this::openFor)
                .flatMap(Optional::stream)
                .filter(c -> c.getStep() == VerificationStep.IDENTITY)
                .toList();
    }

    private static void requireSponsorAttestation(OnboardingCaseEntity onboardingCase, CeremonyEntity ceremony) {
        if (onboardingCase.getSponsorId() == null) {
            throw ApiError.conflict(
                    "no_sponsor",
                    "Policy asks the sponsor to confirm the person, and this hire has no sponsor: an admin sets one");
        }
        if (!onboardingCase.getSponsorId().equals(ceremony.getSponsorAttestedBy())
                || !onboardingCase.getSponsorId().equals(ceremony.getSponsorAtOpen())) {
            throw ApiError.conflict(
                    "sponsor_attestation_missing",
                    "The sponsor has not yet confirmed, in this ceremony, that this is the person they hired; ask "
                            + "them to confirm in the onboarding console while they see the person");
        }
    }

    /**
     * A helpdesk member starts checking a caller who claims to be this verified hire. Only a verified
     * account: in recovery, whoever signs in may be the stand-in who reset it, so only a verifier (or the
     * bound passkey) can tell.
     */
    public CeremonyEntity openHelpdeskCheck(OnboardingCaseEntity onboardingCase, UserModel staff) {
        if (staff.getId().equals(onboardingCase.getUserId())) {
            throw ApiError.forbidden("self_check", "Nobody checks themselves: ask a colleague at the helpdesk");
        }
        if (onboardingCase.getStage() != Stage.VERIFIED) {
            throw ApiError.conflict(
                    "not_verified",
                    "A helpdesk check is for verified hires; this case is " + onboardingCase.getStage()
                            + (onboardingCase.getStage() == Stage.RECOVERY
                                    ? ": a verifier must see the person (recovery check)"
                                    : ""));
        }
        return persistOpen(
                onboardingCase, VerificationStep.HELPDESK, VerificationMethod.PHONE, staff, HELPDESK_LIFETIME);
    }

    /** The helpdesk member types the code the caller reads out: the check passes, or counts a wrong code. */
    public void answerHelpdeskCheck(CeremonyEntity check, UserModel staff, String code) {
        long now = System.currentTimeMillis();
        requireOwnOpenCeremony(check, staff, now);
        if (check.getCodeHash() == null) {
            throw ApiError.conflict(
                    "code_not_issued",
                    "The caller's page has not shown a code yet; ask them to sign in to their onboarding page");
        }
        if (check.getCodeExpiresAt() == null || now >= check.getCodeExpiresAt()) {
            throw ApiError.conflict(
                    "code_expired", "The code has expired; ask the caller to refresh their page for a new one");
        }
        if (!CeremonyCode.matches(check.getCodeSalt(), check.getCodeHash(), code)) {
            throw wrongCode(check, staff, RealmPolicies.of(session, realm));
        }
        OnboardingCaseEntity onboardingCase = cases.store()
                .findById(realm.getId(), check.getCaseId())
                .orElseThrow(() -> ApiError.notFound("The check's case no longer exists"));
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (hire == null || !hireSessionAlive(hire, check.getHireSessionId())) {
            throw ApiError.conflict(
                    "hire_session_ended",
                    "The session in which the caller saw the code has ended; they must sign in again and read out a new code");
        }
        pass(check, staff.getId(), onboardingCase.getUserId(), "code", now);
    }

    /** A verified hire signed in with the bound passkey while a helpdesk check of them was open: it passes. */
    public void passHelpdeskCheckByPasskey(OnboardingCaseEntity onboardingCase, UserModel hire) {
        long now = System.currentTimeMillis();
        openFor(onboardingCase)
                .filter(open -> open.getStep() == VerificationStep.HELPDESK)
                .ifPresent(open -> pass(open, hire.getId(), hire.getId(), "bound_passkey", now));
    }

    private void pass(CeremonyEntity check, String actor, String hireId, String by, long now) {
        check.setStatus(CeremonyEntity.Status.COMPLETED);
        check.setClosedAt(now);
        audit(check, actor, hireId, "helpdesk.check_passed", Map.of("by", by));
        flushOrConflict();
    }

    /**
     * The helpdesk check {@code staffId} passed for this case within {@code window}: what lets that member
     * reset one of the hire's credentials.
     */
    public Optional<CeremonyEntity> passedHelpdeskCheck(
            OnboardingCaseEntity onboardingCase, String staffId, Duration window) {
        long since = System.currentTimeMillis() - window.toMillis();
        return ceremoniesOf(onboardingCase).stream()
                .filter(c -> c.getStep() == VerificationStep.HELPDESK
                        && c.getStatus() == CeremonyEntity.Status.COMPLETED
                        && staffId.equals(c.getVerifierId())
                        && c.getClosedAt() != null
                        && c.getClosedAt() >= since)
                .findFirst();
    }

    private CeremonyEntity persistOpen(
            OnboardingCaseEntity onboardingCase,
            VerificationStep step,
            VerificationMethod method,
            UserModel verifier,
            Duration lifetime) {
        long now = System.currentTimeMillis();
        for (CeremonyEntity previous : store.allOpenForCase(onboardingCase.getId())) {
            previous.setStatus(CeremonyEntity.Status.CANCELLED);
            previous.setClosedAt(now);
            audit(
                    previous,
                    verifier.getId(),
                    onboardingCase.getUserId(),
                    "ceremony.cancelled",
                    Map.of("why", "superseded"));
        }
        CeremonyEntity ceremony = new CeremonyEntity();
        ceremony.setId(UUID.randomUUID().toString());
        ceremony.setRealmId(realm.getId());
        ceremony.setCaseId(onboardingCase.getId());
        ceremony.setStep(step);
        ceremony.setMethod(method);
        ceremony.setStatus(CeremonyEntity.Status.OPEN);
        ceremony.setVerifierId(verifier.getId());
        ceremony.setOpenedAt(now);
        ceremony.setExpiresAt(now + lifetime.toMillis());
        ceremony.setSponsorAtOpen(onboardingCase.getSponsorId());
        store.persist(ceremony);
        audit(ceremony, verifier.getId(), onboardingCase.getUserId(), "ceremony.opened", Map.of());
        flushOrConflict();
        return ceremony;
    }

    public void cancel(CeremonyEntity ceremony, UserModel verifier) {
        requireOwnOpenCeremony(ceremony, verifier, System.currentTimeMillis());
        ceremony.setStatus(CeremonyEntity.Status.CANCELLED);
        ceremony.setClosedAt(System.currentTimeMillis());
        audit(
                ceremony,
                verifier.getId(),
                caseUserId(session, ceremony.getCaseId()),
                "ceremony.cancelled",
                Map.of("why", "cancelled by the verifier"));
        flushOrConflict();
    }

    /** What the verifier decided, already validated. */
    public record Submission(Outcome outcome, String code, Checklist checklist, String evidenceRef, String reason) {
        @Override
        public String toString() {
            return "Submission[outcome=" + outcome + ", evidenceRef=" + evidenceRef + "]";
        }
    }

    /**
     * Records the verifier's result. The code must be the one the hire's page shows for this
     * ceremony, the hire's session must still be alive, and every rule that held at opening must
     * still hold.
     */
    public VerificationEntity submit(CeremonyEntity ceremony, UserModel verifier, Submission submission) {
        long now = System.currentTimeMillis();
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (!ceremony.getStep().byVerifier()) {
            throw ApiError.notFound("No verification ceremony with id '" + ceremony.getId() + "' in this realm");
        }
        requireOwnOpenCeremony(ceremony, verifier, now);
        if (ceremony.getCodeHash() == null) {
            throw ApiError.conflict(
                    "code_not_issued",
                    "The hire's page has not shown a code for this ceremony yet; "
                            + "ask them to open or refresh their onboarding status page");
        }
        if (ceremony.getCodeExpiresAt() == null || now >= ceremony.getCodeExpiresAt()) {
            throw ApiError.conflict(
                    "code_expired",
                    "The code has expired, or a credential of the hire changed since it was "
                            + "shown; ask the hire to refresh their page for a new one");
        }
        if (!CeremonyCode.matches(ceremony.getCodeSalt(), ceremony.getCodeHash(), submission.code())) {
            throw wrongCode(ceremony, verifier, policy);
        }
        OnboardingCaseEntity onboardingCase = cases.store()
                .findById(realm.getId(), ceremony.getCaseId())
                .orElseThrow(() -> ApiError.notFound("The ceremony's case no longer exists"));
        checkRules(onboardingCase, ceremony.getStep(), verifier);
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (hire == null || !hireSessionAlive(hire, ceremony.getHireSessionId())) {
            throw ApiError.conflict(
                    "hire_session_ended",
                    "The session in which the hire saw the code has ended; "
                            + "the person you are talking to must sign in again and read out a new code");
        }
        if (submission.outcome() == Outcome.APPROVE && ceremony.getStep() == VerificationStep.RECOVERY) {
            requireRecordMatches(onboardingCase, ceremony, verifier, submission.checklist());
        }
        if (submission.outcome() == Outcome.APPROVE
                && ceremony.getStep() == VerificationStep.IDENTITY
                && policy.sponsorAttestation()) {
            requireSponsorAttestation(onboardingCase, ceremony);
        }
        String credentialId = null;
        if (submission.outcome() == Outcome.APPROVE && ceremony.getStep().seesThePerson() && policy.passkeyBinding()) {
            credentialId = passkeyToBind(hire, ceremony, policy).getId();
        }

        ceremony.setStatus(CeremonyEntity.Status.COMPLETED);
        ceremony.setClosedAt(now);
        // A verified hire is never rejected: a recovery the verifier refuses suspends the account for security to look
        // at.
        StageEvent event = submission.outcome() == Outcome.APPROVE
                ? ceremony.getStep().approval()
                : ceremony.getStep() == VerificationStep.RECOVERY ? StageEvent.SUSPEND : StageEvent.REJECT;
        String reason = submission.outcome() == Outcome.APPROVE
                ? ceremony.getStep() + " approved (" + ceremony.getMethod() + ", evidence " + submission.evidenceRef()
                        + ")"
                : ceremony.getStep() + " rejected: " + submission.reason();
        Stage stage = cases.apply(onboardingCase, event, verifier.getId(), reason);
        if (stage == Stage.VERIFIED) {
            onboardingCase.setVerifiedCredentialId(credentialId);
        }

        VerificationEntity record = new VerificationEntity();
        record.setId(UUID.randomUUID().toString());
        record.setRealmId(realm.getId());
        record.setCaseId(onboardingCase.getId());
        record.setCeremonyId(ceremony.getId());
        record.setStep(ceremony.getStep());
        record.setMethod(ceremony.getMethod());
        record.setOutcome(submission.outcome());
        record.setVerifierId(verifier.getId());
        record.setAt(now);
        record.setChecklist(CanonicalJson.write(submission.checklist().items()));
        record.setEvidenceRef(submission.evidenceRef());
        record.setReason(submission.reason());
        record.setResultLevel(stage.verificationLevel());
        record.setCredentialId(credentialId);
        store.persist(record);
        OnboardingMetrics.ceremonyResult(
                session,
                realm.getName(),
                ceremony.getStep().name(),
                submission.outcome().name());
        if (submission.outcome() == Outcome.APPROVE && ceremony.getStep() == VerificationStep.DOCUMENT) {
            // The document is the authority on the names the organisation attests from now on.
            LegalNames.recordedIn(record).ifPresent(names -> names.applyTo(hire));
        }
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("verificationId", record.getId());
        recorded.put("outcome", record.getOutcome().name());
        recorded.put("checklist", submission.checklist().items());
        recorded.put("evidenceRef", record.getEvidenceRef());
        recorded.put("reason", record.getReason());
        recorded.put("resultLevel", record.getResultLevel());
        recorded.put("credentialId", credentialId);
        audit(ceremony, verifier.getId(), onboardingCase.getUserId(), "verification.recorded", recorded);
        flushOrConflict();

        if (stage == Stage.REJECTED) {
            Notifications.toSponsor(
                    session,
                    realm,
                    onboardingCase,
                    new Notifications.Mail(
                            "onboardingRejectedSubject",
                            "onboarding-rejected.ftl",
                            Map.of("step", ceremony.getStep().name(), "reason", submission.reason())));
        }
        return record;
    }

    /** The hire's side: what their status page shows for the open ceremony, issuing a fresh code. */
    public record HirePrompt(
            CeremonyEntity ceremony, String verifierName, boolean passkeyNeeded, String code, long codeExpiresAt) {
        @Override
        public String toString() {
            return "HirePrompt[ceremony=" + (ceremony == null ? null : ceremony.getId()) + ", passkeyNeeded="
                    + passkeyNeeded + "]";
        }
    }

    public Optional<HirePrompt> promptFor(OnboardingCaseEntity onboardingCase, UserModel hire, String hireSessionId) {
        long now = System.currentTimeMillis();
        Optional<CeremonyEntity> open = store.openForCase(onboardingCase.getId(), now);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        CeremonyEntity ceremony = open.get();
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        UserModel verifier = session.users().getUserById(realm, ceremony.getVerifierId());
        String verifierName = verifier == null ? "" : Users.displayName(verifier);
        if (ceremony.getStep().seesThePerson()
                && policy.passkeyBinding()
                && passkeyRegisteredDuring(hire, ceremony).isEmpty()) {
            return Optional.of(new HirePrompt(ceremony, verifierName, true, null, 0));
        }
        // Each showing draws a new code; only its hash and the session it was shown in are kept.
        CeremonyCode.Issued issued = CeremonyCode.issue();
        long expiresAt = now + policy.ceremonyCodeValidity().toMillis();
        ceremony.setCodeSalt(issued.salt());
        ceremony.setCodeHash(issued.hash());
        ceremony.setCodeExpiresAt(expiresAt);
        ceremony.setHireSessionId(hireSessionId);
        audit(
                ceremony,
                hire.getId(),
                hire.getId(),
                "ceremony.code_issued",
                Map.of("codeExpiresAt", Instants.iso(expiresAt)));
        flushOrConflict();
        return Optional.of(new HirePrompt(ceremony, verifierName, false, issued.code(), expiresAt));
    }

    /**
     * At recovery the document shown now must be the one of the onboarding record (the newest approved
     * document step): a refusal names the differing facts, never their recorded values, and is audited
     * even though the request rolls back.
     */
    private void requireRecordMatches(
            OnboardingCaseEntity onboardingCase, CeremonyEntity ceremony, UserModel verifier, Checklist presented) {
        Map<String, Object> recorded = approvedDocumentOf(onboardingCase)
                .map(v -> StoredJson.object(v.getChecklist()))
                .orElse(Map.of());
        if (!OnboardingRecord.holdsNames(recorded)) {
            // Nothing to hold the person against (verified without the document step): fail closed.
            throw ApiError.conflict(
                    "no_onboarding_record",
                    "This hire was verified without a document record, so a recovery check cannot confirm it is the "
                            + "same person; send the case to re-verification (admin API: reverify) for a full verification");
        }
        List<String> differing = OnboardingRecord.mismatches(recorded, presented.items());
        if (differing.isEmpty()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ceremonyId", ceremony.getId());
        details.put("differing", differing);
        AuditLog.appendApart(
                session,
                realm.getId(),
                verifier.getId(),
                onboardingCase.getUserId(),
                "ceremony.record_mismatch",
                details);
        throw ApiError.conflict(
                "record_mismatch",
                "The document does not match the onboarding record in " + String.join(", ", differing)
                        + "; this is not the person who was verified, or not their document. Reject the recovery, "
                        + "or ask security");
    }

    /** Who started the case's newest recovery (an admin's reset, or the account itself through a link). */
    private static String recoveryCauserOf(OnboardingCaseEntity onboardingCase) {
        return onboardingCase.getHistory().stream()
                .filter(change -> change.getToStage() == Stage.RECOVERY)
                .reduce((first, second) -> second.getAt() >= first.getAt() ? second : first)
                .map(change -> change.getActor())
                .orElse(null);
    }

    /** The verifier who approved the case's document step, for dual control. */
    private String documentVerifierOf(OnboardingCaseEntity onboardingCase) {
        return approvedDocumentOf(onboardingCase)
                .map(VerificationEntity::getVerifierId)
                .orElse(null);
    }

    /** The newest approved document step: the onboarding record. */
    private Optional<VerificationEntity> approvedDocumentOf(OnboardingCaseEntity onboardingCase) {
        return store.verificationsOf(realm.getId(), onboardingCase.getId()).stream()
                .filter(v -> v.getStep() == VerificationStep.DOCUMENT && v.getOutcome() == Outcome.APPROVE)
                .reduce((first, second) -> second);
    }

    private void checkRules(OnboardingCaseEntity onboardingCase, VerificationStep step, UserModel verifier) {
        RealmPolicies.problem(session, realm).ifPresent(problem -> {
            // Dual control, passkey binding and step order come from the policy: no verification under guesses.
            throw ApiError.conflict(
                    "policy_invalid",
                    "The realm's onboarding policy is invalid, so no verification "
                            + "can be recorded until an admin fixes it: " + problem);
        });
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        SeparationOfDuties.Parties parties = new SeparationOfDuties.Parties(
                verifier.getId(),
                onboardingCase.getUserId(),
                onboardingCase.getSponsorId(),
                onboardingCase.getCreatedBy(),
                documentVerifierOf(onboardingCase),
                Appointments.selfAppointedVerifier(session, realm, verifier.getId()));
        SeparationOfDuties.check(parties, step, policy.dualControl()).ifPresent(refusal -> {
            throw ApiError.forbidden(refusal.code(), refusal.message());
        });
        if (step == VerificationStep.RECOVERY && verifier.getId().equals(recoveryCauserOf(onboardingCase))) {
            throw ApiError.forbidden(
                    "caused_recovery",
                    "You reset this account's credentials, so another verifier checks the person who recovers it");
        }
        if (!VerificationStep.allowedIn(onboardingCase.getStage(), policy.documentStepRequired(), step)) {
            String expected = VerificationStep.awaitedIn(onboardingCase.getStage(), policy.documentStepRequired())
                    .map(s -> "; the case waits for the " + s + " step")
                    .orElse("; the case waits for no verification step");
            throw ApiError.conflict(
                    "step_not_allowed",
                    "The " + step + " step is not possible in stage " + onboardingCase.getStage() + expected);
        }
    }

    private void requireOwnOpenCeremony(CeremonyEntity ceremony, UserModel verifier, long now) {
        if (!ceremony.getVerifierId().equals(verifier.getId())) {
            throw ApiError.forbidden(
                    "not_ceremony_verifier", "Only the verifier who opened this ceremony can complete or cancel it");
        }
        switch (ceremony.getStatus()) {
            case LOCKED ->
                throw ApiError.conflict(
                        "ceremony_locked",
                        "Too many wrong codes: this ceremony is locked; open a new one if the hire should try again");
            case COMPLETED, CANCELLED ->
                throw ApiError.conflict(
                        "ceremony_closed",
                        "This ceremony is already "
                                + ceremony.getStatus().name().toLowerCase(java.util.Locale.ROOT));
            case OPEN -> {
                if (!ceremony.isOpenAt(now)) {
                    throw ApiError.conflict(
                            "ceremony_expired",
                            "This ceremony was opened more than " + LIFETIME.toMinutes()
                                    + " minutes ago; open a new one");
                }
            }
        }
    }

    /**
     * Counts the wrong code in a transaction of its own, because the refusal rolls back the
     * request's transaction; locks the ceremony and records a risk signal at the limit.
     */
    private ApiError wrongCode(CeremonyEntity ceremony, UserModel verifier, OnboardingPolicy policy) {
        String ceremonyId = ceremony.getId();
        int max = policy.ceremonyMaxAttempts();
        int attempts = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), tx -> {
            CeremonyStore txStore = new CeremonyStore(tx);
            int counted = txStore.countFailedAttempt(ceremonyId);
            String hireId = caseUserId(tx, ceremony.getCaseId());
            audit(
                    tx,
                    ceremony,
                    verifier.getId(),
                    hireId,
                    "ceremony.code_rejected",
                    Map.of("wrongCodes", counted, "limit", max));
            if (counted >= max && txStore.lock(ceremonyId, System.currentTimeMillis())) {
                audit(
                        tx,
                        ceremony,
                        verifier.getId(),
                        hireId,
                        "ceremony.locked",
                        Map.of("wrongCodes", counted, "limit", max));
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("ceremonyId", ceremonyId);
                evidence.put("step", ceremony.getStep().name());
                evidence.put("method", ceremony.getMethod().name());
                evidence.put("verifierId", verifier.getId());
                evidence.put("wrongCodes", counted);
                evidence.put("limit", max);
                new RiskSignals(tx)
                        .record(realm.getId(), ceremony.getCaseId(), hireId, RULE_CODE_LOCKOUT, "LOG", evidence);
                Map<String, Object> announced = new LinkedHashMap<>(evidence);
                announced.put("realm", realm.getName());
                announced.put("caseId", ceremony.getCaseId());
                announced.put("userId", hireId);
                WebhookOutbox.publish(
                        tx, tx.realms().getRealm(realm.getId()), WebhookEvents.CEREMONY_LOCKED, announced);
            }
            return counted;
        });
        if (attempts >= max) {
            return ApiError.conflict(
                    "ceremony_locked",
                    "Wrong code. That was the last attempt: the ceremony is locked "
                            + "and a risk signal was recorded");
        }
        return ApiError.of(
                UNPROCESSABLE,
                "wrong_code",
                "Wrong code; check that the person reads it from their own onboarding page",
                Map.of("attemptsLeft", max - attempts));
    }

    /**
     * An identity-verification vendor's approved result standing in for a verifier's step, where the
     * realm's vendors page allows it: the stage change and verification record a ceremony gives, the
     * vendor as verifier ({@code vendorActor}, e.g. {@code vendor:acme-idv}) and its result as the
     * ceremony. A document result's names become the profile's, as a verifier's would.
     */
    public VerificationEntity recordVendorApproval(
            OnboardingCaseEntity onboardingCase,
            VerificationStep step,
            String vendorActor,
            String resultId,
            Map<String, Object> checklist,
            String evidenceRef) {
        long now = System.currentTimeMillis();
        Stage stage = cases.apply(
                onboardingCase,
                step.approval(),
                vendorActor,
                step + " approved by an identity-verification vendor (evidence " + evidenceRef + ")");
        VerificationEntity record = new VerificationEntity();
        record.setId(UUID.randomUUID().toString());
        record.setRealmId(realm.getId());
        record.setCaseId(onboardingCase.getId());
        record.setCeremonyId(resultId);
        record.setStep(step);
        record.setMethod(VerificationMethod.VENDOR);
        record.setOutcome(Outcome.APPROVE);
        record.setVerifierId(vendorActor);
        record.setAt(now);
        record.setChecklist(CanonicalJson.write(checklist));
        record.setEvidenceRef(evidenceRef);
        record.setResultLevel(stage.verificationLevel());
        store.persist(record);
        OnboardingMetrics.ceremonyResult(session, realm.getName(), step.name(), Outcome.APPROVE.name());
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (step == VerificationStep.DOCUMENT && hire != null) {
            LegalNames.recordedIn(record).ifPresent(names -> names.applyTo(hire));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vendorResultId", resultId);
        details.put("caseId", onboardingCase.getId());
        details.put("step", step.name());
        details.put("method", VerificationMethod.VENDOR.name());
        details.put("verificationId", record.getId());
        details.put("outcome", Outcome.APPROVE.name());
        details.put("checklist", checklist);
        details.put("evidenceRef", evidenceRef);
        details.put("resultLevel", record.getResultLevel());
        AuditLog.append(
                session, realm.getId(), vendorActor, onboardingCase.getUserId(), "verification.recorded", details);
        return record;
    }

    private void audit(CeremonyEntity ceremony, String actor, String hireId, String type, Map<String, Object> extra) {
        audit(session, ceremony, actor, hireId, type, extra);
    }

    /** Ceremony entries carry its id, step and method; never the code. */
    private void audit(
            KeycloakSession target,
            CeremonyEntity ceremony,
            String actor,
            String hireId,
            String type,
            Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ceremonyId", ceremony.getId());
        details.put("caseId", ceremony.getCaseId());
        details.put("step", ceremony.getStep().name());
        details.put("method", ceremony.getMethod().name());
        details.putAll(extra);
        AuditLog.append(target, realm.getId(), actor, hireId, type, details);
    }

    private String caseUserId(KeycloakSession tx, String caseId) {
        return new CaseStore(tx)
                .findById(realm.getId(), caseId)
                .map(OnboardingCaseEntity::getUserId)
                .orElse("unknown");
    }

    /** Still signed in: their user session, or the login in progress on the status page (same id). */
    private boolean hireSessionAlive(UserModel hire, String sessionId) {
        if (sessionId == null) {
            return false;
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, sessionId);
        if (userSession != null) {
            return userSession.getUser().getId().equals(hire.getId())
                    && userSession.getState() != UserSessionModel.State.LOGGED_OUT;
        }
        RootAuthenticationSessionModel root =
                session.authenticationSessions().getRootAuthenticationSession(realm, sessionId);
        return root != null
                && root.getAuthenticationSessions().values().stream()
                        .anyMatch(auth -> auth.getAuthenticatedUser() != null
                                && auth.getAuthenticatedUser().getId().equals(hire.getId()));
    }

    /** The passkeys the hire registered since the ceremony opened, oldest first. */
    public static List<CredentialModel> passkeysRegisteredDuring(UserModel hire, CeremonyEntity ceremony) {
        return hire.credentialManager()
                .getStoredCredentialsByTypeStream(WebAuthnCredentialModel.TYPE_PASSWORDLESS)
                .filter(c -> c.getCreatedDate() != null && c.getCreatedDate() >= ceremony.getOpenedAt())
                .sorted(Comparator.comparing(CredentialModel::getCreatedDate))
                .toList();
    }

    private static Optional<CredentialModel> passkeyRegisteredDuring(UserModel hire, CeremonyEntity ceremony) {
        return passkeysRegisteredDuring(hire, ceremony).stream().findFirst();
    }

    /**
     * The passkey the verifier saw registered: the only one of the ceremony. A second one may be a
     * stand-in's registered while the verifier was busy with the checklist, so two or more are
     * refused until the hire removes the ones that are not theirs.
     */
    private static CredentialModel passkeyToBind(UserModel hire, CeremonyEntity ceremony, OnboardingPolicy policy) {
        List<CredentialModel> registered = passkeysRegisteredDuring(hire, ceremony);
        if (registered.isEmpty()) {
            throw ApiError.conflict(
                    "passkey_missing",
                    "Policy binds a passkey during the identity step: the hire has not "
                            + "registered one in this ceremony yet");
        }
        if (registered.size() > 1) {
            throw ApiError.conflict(
                    "passkey_ambiguous",
                    registered.size() + " passkeys were registered during this ceremony ("
                            + registered.stream().map(Ceremonies::describe).collect(Collectors.joining("; "))
                            + "); only the one you saw registered may be bound. Ask the hire to remove the others in the account "
                            + "console, then submit again");
        }
        CredentialModel passkey = registered.get(0);
        if (policy.passkeyModels().deviceBoundOnly()
                && !ceremony.registeredDeviceBound(BoundPasskey.webAuthnId(passkey))) {
            throw ApiError.conflict(
                    "passkey_not_device_bound",
                    "The passkey " + describe(passkey) + " can be synced to other devices (or its registration was not "
                            + "seen), and policy binds only passkeys that stay on their device. Ask the hire to remove it in "
                            + "the account console and register one on a company security key or a device-bound "
                            + "authenticator, then submit again");
        }
        Optional<String> refusal = policy.passkeyModels().refusal(aaguid(passkey));
        if (refusal.isPresent()) {
            throw ApiError.conflict(
                    "passkey_not_company_issued",
                    "The passkey " + describe(passkey) + " cannot be bound: " + refusal.get()
                            + ". Ask the hire to remove it in the account console and register one on a company-issued "
                            + "security key or device, then submit again");
        }
        return passkey;
    }

    /** What a verifier can compare with what they see on camera: the passkey's label, model and registration time. */
    public static Map<String, Object> passkeyView(CredentialModel passkey) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("label", passkey.getUserLabel());
        view.put("model", aaguid(passkey));
        view.put("registeredAt", Instants.iso(passkey.getCreatedDate()));
        return view;
    }

    private static String describe(CredentialModel passkey) {
        return "'" + passkey.getUserLabel() + "', model " + aaguid(passkey) + ", registered "
                + Instants.iso(passkey.getCreatedDate());
    }

    private static String aaguid(CredentialModel passkey) {
        try {
            return WebAuthnCredentialModel.createFromCredentialModel(passkey)
                    .getWebAuthnCredentialData()
                    .getAaguid();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * A credential of the hire changed while a ceremony is open: the code shown so far no longer
     * proves anything, so it is voided and the hire's page draws a new one.
     */
    public void voidCode(CeremonyEntity ceremony) {
        if (ceremony.getCodeExpiresAt() != null) {
            // Expired now: the verifier is told to ask for a fresh code, the hire's page draws one.
            ceremony.setCodeExpiresAt(0L);
        }
    }

    private void flushOrConflict() {
        try {
            cases.store().flush();
        } catch (CaseStore.ConcurrentCaseChangeException | OptimisticLockException e) {
            throw ApiError.conflict(
                    "concurrent_modification",
                    "The ceremony or its case was changed by another request at the same time; reload and try again");
        }
    }
}
