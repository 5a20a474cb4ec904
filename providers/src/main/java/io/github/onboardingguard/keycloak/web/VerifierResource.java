package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.cases.CaseViews;
import io.github.onboardingguard.keycloak.cases.HiringRecords;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.risk.HiringRecordChecks;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.JsonBody;
import io.github.onboardingguard.keycloak.support.QueryParams;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.keycloak.verification.VerificationEntity;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.risk.ApplicantRecord;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.verification.Checklist;
import io.github.onboardingguard.verification.ChecklistException;
import io.github.onboardingguard.verification.EvidenceReference;
import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.VerificationMethod;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/onboarding/verifications}: what verifiers use to run ceremonies. The
 * caller is an authenticated verifier of this realm (checked before this resource is reached).
 */
public final class VerifierResource {

    private static final int MAX_PAGE = 200;
    private static final Set<String> OPEN_FIELDS = Set.of("step", "method");
    private static final Set<String> RESULT_FIELDS =
            Set.of("code", "outcome", "checklist", EvidenceReference.FIELD, "reason");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel verifier;
    private final Caller caller;
    private final Duration resultSignInMaxAge;
    private final Ceremonies ceremonies;
    private final VerificationViews views;

    VerifierResource(KeycloakSession session, RealmModel realm, Caller caller, Duration resultSignInMaxAge) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
        this.verifier = caller.user();
        this.resultSignInMaxAge = resultSignInMaxAge;
        this.ceremonies = new Ceremonies(session, realm);
        this.views = new VerificationViews(session, realm);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> waitingCases(@QueryParam("first") String first, @QueryParam("max") String max) {
        int firstResult = QueryParams.integer("first", first, 0, 0, Integer.MAX_VALUE);
        int maxResults = QueryParams.integer("max", max, 50, 1, MAX_PAGE);
        List<Map<String, Object>> items = new ArrayList<>();
        for (OnboardingCaseEntity onboardingCase :
                ceremonies.caseStore().awaitingVerification(realm.getId(), firstResult, maxResults)) {
            items.add(caseView(onboardingCase));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("first", firstResult);
        page.put("max", maxResults);
        return page;
    }

    @POST
    @Path("{caseId}/ceremonies")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response openCeremony(@PathParam("caseId") String caseId, String body) {
        JsonBody json = JsonBody.parse(body, OPEN_FIELDS);
        VerificationStep step = json.requiredEnum("step", VerificationStep.class);
        VerificationMethod method = json.has("method")
                ? json.requiredEnum("method", VerificationMethod.class)
                : step == VerificationStep.DOCUMENT ? VerificationMethod.VIDEO : null;
        if (!step.byVerifier()) {
            throw ApiError.badRequest(
                    "step", "'step' must be DOCUMENT, IDENTITY or RECOVERY; the helpdesk opens its checks itself");
        }
        if (method == null || method == VerificationMethod.PHONE || method == VerificationMethod.VENDOR) {
            throw ApiError.badRequest(
                    "method",
                    "'method' must be VIDEO or IN_PERSON for the " + step + " step: a verifier sees the person");
        }
        OnboardingCaseEntity onboardingCase = loadCase(caseId);
        CeremonyEntity ceremony = ceremonies.open(onboardingCase, step, method, verifier);
        return Response.status(Response.Status.CREATED)
                .entity(views.ceremony(ceremony))
                .build();
    }

    @GET
    @Path("{caseId}/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> history(@PathParam("caseId") String caseId) {
        OnboardingCaseEntity onboardingCase = loadCase(caseId);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("case", caseView(onboardingCase));
        view.putAll(views.records(onboardingCase));
        return view;
    }

    @GET
    @Path("ceremonies/{ceremonyId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> ceremony(@PathParam("ceremonyId") String ceremonyId) {
        return views.ceremony(loadCeremony(ceremonyId));
    }

    @POST
    @Path("ceremonies/{ceremonyId}/result")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> submitResult(@PathParam("ceremonyId") String ceremonyId, String body) {
        caller.requireSignInWithin(resultSignInMaxAge, Instant.now());
        JsonBody json = JsonBody.parse(body, RESULT_FIELDS);
        String code = json.requiredString("code", 32);
        Outcome outcome = json.requiredEnum("outcome", Outcome.class);
        String reason = json.optionalString("reason", JsonBody.MAX_REASON);
        if (outcome == Outcome.REJECT && (reason == null || reason.isBlank())) {
            throw ApiError.badRequest("reason", "'reason' is required to reject: the sponsor and the auditors read it");
        }
        CeremonyEntity ceremony = loadCeremony(ceremonyId);
        Ceremonies.Submission submission;
        try {
            Checklist checklist = Checklist.parse(
                    ceremony.getStep(),
                    ceremony.getMethod(),
                    outcome,
                    json.freeObject("checklist").values(),
                    LocalDate.now(ZoneOffset.UTC));
            String evidenceRef = EvidenceReference.validate(json.optionalString(EvidenceReference.FIELD, 1024));
            submission = new Ceremonies.Submission(outcome, code, checklist, evidenceRef, reason);
        } catch (ChecklistException e) {
            String field = e.field().equals(EvidenceReference.FIELD) ? e.field() : "checklist." + e.field();
            throw ApiError.badRequest(field, e.getMessage());
        }
        VerificationEntity record = ceremonies.submit(ceremony, verifier, submission);
        OnboardingCaseEntity onboardingCase = loadCase(ceremony.getCaseId());
        if (record.getStep() == VerificationStep.DOCUMENT && record.getOutcome() == Outcome.APPROVE) {
            new HiringRecordChecks(session, realm)
                    .documentApproved(
                            onboardingCase,
                            session.users().getUserById(realm, onboardingCase.getUserId()),
                            verifier.getId());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("verification", views.verification(record));
        view.put("case", caseView(onboardingCase));
        return view;
    }

    @POST
    @Path("ceremonies/{ceremonyId}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cancel(@PathParam("ceremonyId") String ceremonyId) {
        CeremonyEntity ceremony = loadCeremony(ceremonyId);
        ceremonies.cancel(ceremony, verifier);
        return views.ceremony(ceremony);
    }

    private OnboardingCaseEntity loadCase(String caseId) {
        return ceremonies
                .caseStore()
                .findById(realm.getId(), caseId)
                .orElseThrow(() -> ApiError.notFound(
                        "No onboarding case with id '" + QueryParams.abbreviate(caseId) + "' in this realm"));
    }

    private CeremonyEntity loadCeremony(String ceremonyId) {
        return ceremonies
                .find(ceremonyId)
                .orElseThrow(() -> ApiError.notFound(
                        "No ceremony with id '" + QueryParams.abbreviate(ceremonyId) + "' in this realm"));
    }

    private Map<String, Object> caseView(OnboardingCaseEntity onboardingCase) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", onboardingCase.getId());
        view.put("username", hire == null ? null : hire.getUsername());
        view.put("firstName", hire == null ? null : hire.getFirstName());
        view.put("lastName", hire == null ? null : hire.getLastName());
        view.put("email", hire == null ? null : hire.getEmail());
        view.put("stage", onboardingCase.getStage().name());
        view.put(
                "awaitedStep",
                VerificationStep.awaitedIn(onboardingCase.getStage(), policy.documentStepRequired())
                        .map(Enum::name)
                        .orElse(null));
        view.put("deadline", Instants.iso(onboardingCase.getDeadline()));
        view.put("sponsor", views.username(onboardingCase.getSponsorId()));
        view.put("youAreSponsor", verifier.getId().equals(onboardingCase.getSponsorId()));
        view.put("dualControl", policy.dualControl());
        view.put("passkeyBinding", policy.passkeyBinding());
        view.put(
                "openCeremony",
                ceremonies.openFor(onboardingCase).map(views::ceremony).orElse(null));
        // What approving will grant: the verifier decides knowing it.
        view.put("deferredGrants", new CaseViews(session, realm).grants(onboardingCase));
        // Who applied, to compare with the person on the call; and any mismatch found so far.
        view.put(
                HiringRecords.APPLICANT,
                HiringRecords.applicantOf(onboardingCase)
                        .map(ApplicantRecord::fields)
                        .orElse(null));
        view.put(
                "candidateMismatches",
                new RiskSignals(session)
                        .forCase(realm.getId(), onboardingCase.getId()).stream()
                                .filter(signal ->
                                        RiskRule.CANDIDATE_MISMATCH.id().equals(signal.getRule()))
                                .map(views::signal)
                                .toList());
        return view;
    }
}
