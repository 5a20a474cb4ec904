package io.github.onboardingguard.keycloak.admin;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.Administrators;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.CaseViews;
import io.github.onboardingguard.keycloak.cases.DeferredGrantEntity;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.HiringRecords;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.Sponsors;
import io.github.onboardingguard.keycloak.invitations.Invitations;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.probation.RealmHealth;
import io.github.onboardingguard.keycloak.risk.HiringRecordChecks;
import io.github.onboardingguard.keycloak.risk.RelatedHires;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.JsonBody;
import io.github.onboardingguard.keycloak.support.QueryParams;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import io.github.onboardingguard.keycloak.webhooks.OutboxEntity;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.risk.ApplicantRecord;
import io.github.onboardingguard.risk.ShippingAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

/**
 * {@code /admin/realms/{realm}/onboarding/cases}: the API IAM admins and HR systems use to create
 * hires and manage their cases. Keycloak has authenticated the caller; every method checks the
 * caller's permission on users of this realm before doing anything.
 */
public final class CasesAdminResource {

    static final Duration MAX_DEADLINE = Duration.ofDays(OnboardingPolicy.MAX_PROBATION_DAYS);
    private static final int MAX_PAGE = 200;
    private static final Set<String> CREATE_FIELDS = Set.of(
            "username",
            "email",
            "firstName",
            "lastName",
            "sponsor",
            "deadline",
            "grants",
            "invitation",
            HiringRecords.APPLICANT,
            HiringRecords.SHIPPING_ADDRESS);
    private static final Set<String> ADOPT_FIELDS =
            Set.of("user", "sponsor", "deadline", "stage", HiringRecords.APPLICANT, HiringRecords.SHIPPING_ADDRESS);
    private static final Set<String> GRANT_FIELDS = Set.of("realmRoles", "clientRoles", "groups");
    private static final Set<String> UPDATE_FIELDS =
            Set.of("sponsor", "deadline", HiringRecords.APPLICANT, HiringRecords.SHIPPING_ADDRESS);
    private static final Set<String> REASON_FIELDS = Set.of("reason");
    private static final Set<String> BULK_REVERIFY_FIELDS = Set.of("cases", "reason");
    /** How a case's hire arrived, as the case list filters it. */
    private static final Set<String> CASE_PATHS =
            Set.of("onboarding-api", "adopted", "admin", "scim", "federation", "identity-provider", "registration");

    private static final Map<String, StageEvent> ACTIONS = Map.of(
            "suspend",
            StageEvent.SUSPEND,
            "reinstate",
            StageEvent.REINSTATE,
            "reject",
            StageEvent.REJECT,
            "reverify",
            StageEvent.REVERIFY);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final OnboardingCases cases;
    private final CaseViews views;
    private final Invitations invitations;

    CasesAdminResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.USER);
        this.cases = new OnboardingCases(session, realm);
        this.views = new CaseViews(session, realm);
        this.invitations = new Invitations(session, realm);
    }

    @POST
    @Path("cases")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createHire(String body) {
        requireManage();
        JsonBody json = JsonBody.parse(body, CREATE_FIELDS);
        OnboardingPolicy policy = RealmPolicies.of(realm);
        long now = System.currentTimeMillis();

        String username = json.requiredString("username", JsonBody.MAX_STRING);
        String email = json.optionalString("email", JsonBody.MAX_STRING);
        String firstName = json.optionalString("firstName", JsonBody.MAX_STRING);
        String lastName = json.optionalString("lastName", JsonBody.MAX_STRING);
        UserModel sponsor = resolveSponsor(json.requiredString("sponsor", JsonBody.MAX_STRING), username);
        long deadline = deadlineFrom(
                json.optionalInstant("deadline"), now, now + policy.probation().toMillis());
        List<OnboardingCases.Grant> grants = resolveGrants(json.object("grants", GRANT_FIELDS));
        Invitations.Request invitation = invitations.parse(json.object("invitation", Invitations.FIELDS), email);
        Optional<ApplicantRecord> applicant = HiringRecords.applicantIn(json);
        Optional<ShippingAddress> shippingAddress = HiringRecords.shippingAddressIn(json);
        if (realm.getRole(policy.probationaryRole()) == null) {
            throw ApiError.conflict(
                    "policy_incomplete",
                    "The probationary role '" + policy.probationaryRole()
                            + "' of this realm's onboarding policy does not exist; create it first");
        }

        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put(UserModel.USERNAME, List.of(username));
        if (email != null) {
            attributes.put(UserModel.EMAIL, List.of(email));
        }
        if (firstName != null) {
            attributes.put(UserModel.FIRST_NAME, List.of(firstName));
        }
        if (lastName != null) {
            attributes.put(UserModel.LAST_NAME, List.of(lastName));
        }
        UserProfile profile =
                session.getProvider(UserProfileProvider.class).create(UserProfileContext.USER_API, attributes);
        try {
            profile.validate();
        } catch (ValidationException e) {
            ValidationException.Error first = e.getErrors().get(0);
            throw ApiError.badRequest(first.getAttribute(), describe(e));
        }

        UserModel hire = profile.create();
        hire.setEnabled(true);
        invitation.actions().forEach(hire::addRequiredAction);
        OnboardingCaseEntity onboardingCase =
                cases.open(hire, sponsor, actorId(), deadline, grants, Map.of("path", "onboarding-api"));
        recordHiringDetails(onboardingCase, hire, applicant, shippingAddress);
        cases.store().flush();

        Map<String, Object> view = views.detail(onboardingCase, now);
        view.put("invitation", invitations.send(onboardingCase, hire, invitation, actorId()));
        adminEvent
                .operation(OperationType.CREATE)
                .resourcePath(session.getContext().getUri(), onboardingCase.getId())
                .representation(view)
                .success();
        return Response.status(Response.Status.CREATED)
                .location(session.getContext()
                        .getUri()
                        .getAbsolutePathBuilder()
                        .path(onboardingCase.getId())
                        .build())
                .entity(view)
                .build();
    }

    /**
     * Puts a user who already exists on onboarding: {@code user} (id or username), {@code sponsor},
     * optional {@code deadline} and {@code stage} ({@code INVITED}, the default, or {@code PROBATION}).
     */
    @POST
    @Path("cases/adopt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response adopt(String body) {
        requireManage();
        JsonBody json = JsonBody.parse(body, ADOPT_FIELDS);
        long now = System.currentTimeMillis();
        String ref = json.requiredString("user", JsonBody.MAX_STRING);
        String stageName = json.optionalString("stage", JsonBody.MAX_STRING);
        Stage stage = stageName == null ? Stage.INVITED : QueryParams.enumValue("stage", stageName, Stage.class);
        if (stage != Stage.INVITED && stage != Stage.PROBATION) {
            throw ApiError.badRequest("stage", "An adopted user starts in INVITED or PROBATION");
        }
        UserModel user = findUser(ref);
        if (user == null) {
            throw ApiError.badRequest("user", "User '" + QueryParams.abbreviate(ref) + "' is not a user of this realm");
        }
        UserModel byUsername = session.users().getUserByUsername(realm, ref);
        if (byUsername != null && !byUsername.getId().equals(user.getId())) {
            // Someone took another user's id as their username: name the user by id to mean either.
            throw ApiError.badRequest(
                    "user",
                    "'" + QueryParams.abbreviate(ref) + "' is one user's id and another user's username; give the "
                            + "id of the user you mean");
        }
        UserModel sponsor = resolveSponsor(json.requiredString("sponsor", JsonBody.MAX_STRING), user.getUsername());
        long deadline = deadlineFrom(
                json.optionalInstant("deadline"),
                now,
                now + RealmPolicies.of(realm).probation().toMillis());
        Optional<ApplicantRecord> applicant = HiringRecords.applicantIn(json);
        Optional<ShippingAddress> shippingAddress = HiringRecords.shippingAddressIn(json);
        Adoptions adoptions = new Adoptions(session, realm, auth);
        adoptions.requireMayAdopt(user, QueryParams.abbreviate(ref));

        OnboardingCaseEntity adopted = adoptions.adopt(user, sponsor, actorId(), deadline, stage);
        recordHiringDetails(adopted, user, applicant, shippingAddress);
        cases.store().flush();
        Map<String, Object> view = views.detail(adopted, now);
        adminEvent
                .operation(OperationType.CREATE)
                .resourcePath(session.getContext().getUri(), adopted.getId())
                .representation(view)
                .success();
        return Response.status(Response.Status.CREATED)
                .location(session.getContext()
                        .getUri()
                        .getBaseUriBuilder()
                        .path("admin/realms/{realm}/onboarding/cases/{id}")
                        .build(realm.getName(), adopted.getId()))
                .entity(view)
                .build();
    }

    /**
     * Starts many hires from a CSV file (columns as in docs/admin-api.md): a row whose username is
     * new creates the hire, one that exists without a case adopts it, one with a case is left as it
     * is. Every row answers for itself.
     */
    @POST
    @Path("cases/bulk")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> bulk(InputStream csv) {
        requireManage();
        Map<String, Object> reply = new BulkHires(session, realm, auth.adminAuth()).run(csv);
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(reply.get("summary"))
                .success();
        return reply;
    }

    @GET
    @Path("cases")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> listCases(
            @QueryParam("stage") String stage,
            @QueryParam("sponsor") String sponsor,
            @QueryParam("overdue") String overdue,
            @QueryParam("path") String path,
            @QueryParam("deadlineBefore") String deadlineBefore,
            @QueryParam("search") String search,
            @QueryParam("first") String first,
            @QueryParam("max") String max) {
        requireView();
        Stage stageFilter = stage == null ? null : QueryParams.enumValue("stage", stage, Stage.class);
        String sponsorId = null;
        if (sponsor != null) {
            UserModel sponsorUser = findUser(sponsor);
            // An unknown sponsor matches no case; answering with an empty page avoids a user-existence oracle.
            sponsorId = sponsorUser == null ? "-" : sponsorUser.getId();
        }
        Boolean overdueFilter = overdue == null ? null : QueryParams.bool("overdue", overdue);
        int firstResult = QueryParams.integer("first", first, 0, 0, Integer.MAX_VALUE);
        int maxResults = QueryParams.integer("max", max, 50, 1, MAX_PAGE);

        long now = System.currentTimeMillis();
        CaseStore.Filter filter = new CaseStore.Filter(
                stageFilter,
                sponsorId,
                overdueFilter,
                pathFilter(path),
                deadlineBefore == null
                        ? null
                        : QueryParams.instant("deadlineBefore", deadlineBefore).toEpochMilli(),
                searchFilter(search),
                now);
        List<Map<String, Object>> items = new ArrayList<>();
        for (OnboardingCaseEntity c : cases.store().list(realm.getId(), filter, firstResult, maxResults)) {
            items.add(views.summary(c, now));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("first", firstResult);
        page.put("max", maxResults);
        page.put("total", cases.store().count(realm.getId(), filter));
        return page;
    }

    @GET
    @Path("cases/{caseId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> getCase(@PathParam("caseId") String caseId) {
        requireView();
        OnboardingCaseEntity onboardingCase = load(caseId);
        Map<String, Object> view = views.detail(onboardingCase, System.currentTimeMillis());
        // What happened, not the document's facts, evidence or a live code's state: those are for verifiers and
        // auditors, who are appointed with manage-realm; view-users is a helpdesk's role.
        Map<String, Object> records = new VerificationViews(session, realm).records(onboardingCase);
        view.put("verifications", only(records.get("verifications"), "step", "method", "outcome", "at", "verifier"));
        view.put("ceremonies", only(records.get("ceremonies"), "step", "method", "status", "openedAt", "verifier"));
        view.put("vendorResults", only(records.get("vendorResults"), "vendor", "status", "stoodInFor", "receivedAt"));
        view.put("signals", records.get("signals"));
        return view;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> only(Object rows, String... keys) {
        List<Map<String, Object>> projected = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) rows) {
            Map<String, Object> kept = new LinkedHashMap<>();
            for (String key : keys) {
                kept.put(key, row.get(key));
            }
            projected.add(kept);
        }
        return projected;
    }

    /**
     * Withdraws one grant that waits for verification (a mistaken one), so it is never given. The
     * caller must be allowed to make that grant now, as when granting it; a required reason goes to
     * the trail.
     */
    @POST
    @Path("cases/{caseId}/grants/{grantId}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> releaseGrant(
            @PathParam("caseId") String caseId, @PathParam("grantId") String grantId, String body) {
        requireManage();
        OnboardingCaseEntity onboardingCase = load(caseId);
        String reason = JsonBody.parse(body, REASON_FIELDS).requiredString("reason", JsonBody.MAX_REASON);
        DeferredGrantEntity grant = onboardingCase.getDeferredGrants().stream()
                .filter(g -> g.getId().equals(grantId))
                .findFirst()
                .orElseThrow(
                        () -> ApiError.notFound("No grant '" + QueryParams.abbreviate(grantId) + "' on this case"));
        if (grant.getAppliedAt() != null) {
            throw ApiError.conflict(
                    "grant_applied", "The grant was given at verification already; remove it from the user");
        }
        requireMayRelease(grant);
        // A verification committing at the same moment would give the grant: one of the two must fail.
        orConflict(() -> cases.store().touch(onboardingCase));
        String name = HeldGrants.describe(realm, grant.getKind(), grant.getTargetId());
        onboardingCase.getDeferredGrants().remove(grant);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("grantId", grant.getId());
        details.put("kind", grant.getKind().name());
        details.put("targetId", grant.getTargetId());
        details.put("grant", name);
        details.put("held", grant.isHeld());
        details.put("reason", reason);
        AuditLog.append(session, realm.getId(), actorId(), onboardingCase.getUserId(), "grant.released", details);
        return reportAction(onboardingCase);
    }

    /** Releasing a grant decides what the hire gets, so it needs the right to give it, by Keycloak's rules. */
    private void requireMayRelease(DeferredGrantEntity grant) {
        switch (grant.getKind()) {
            case REALM_ROLE, CLIENT_ROLE -> {
                RoleModel role = realm.getRoleById(grant.getTargetId());
                if (role != null) {
                    requireMayMap(role, null);
                }
            }
            case GROUP -> {
                GroupModel group = realm.getGroupById(grant.getTargetId());
                if (group != null) {
                    requireMayJoin(group, group.getName(), null);
                }
            }
        }
    }

    private static String pathFilter(String path) {
        if (path == null) {
            return null;
        }
        if (!CASE_PATHS.contains(path)) {
            throw ApiError.badRequest(
                    "path", "Unknown path '" + QueryParams.abbreviate(path) + "'; one of " + CASE_PATHS);
        }
        return path;
    }

    private static String searchFilter(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        if (search.length() > 100) {
            throw ApiError.badRequest("search", "must be at most 100 characters");
        }
        return search.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Every door of the realm left without the extension's checks; an empty list is a realm with no hole. */
    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> health() {
        if (!auth.realm().canViewRealm()) {
            throw ApiError.forbidden("The onboarding health check needs the view-realm or manage-realm role of realm '"
                    + realm.getName() + "'");
        }
        List<RealmHealth.Hole> holes = RealmHealth.check(session, realm);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("realm", realm.getName());
        view.put("healthy", holes.isEmpty());
        view.put("holes", RealmHealth.view(holes));
        return view;
    }

    /** Delivery status of the realm's webhooks (every subscription), newest first. */
    @GET
    @Path("alerts")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> alerts(@QueryParam("max") String max) {
        requireView();
        int maxResults = QueryParams.integer("max", max, 50, 1, MAX_PAGE);
        List<Map<String, Object>> items = new ArrayList<>();
        for (OutboxEntity alert : new WebhookOutbox(session).recent(realm.getId(), maxResults)) {
            items.add(alertView(alert));
        }
        return Map.of("items", items);
    }

    /** Queues a dead-lettered (or waiting) alert for delivery now, once the receiver can take it. */
    @POST
    @Path("alerts/{alertId}/retry")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> retryAlert(@PathParam("alertId") String alertId) {
        requireManage();
        OutboxEntity alert = loadAlert(alertId);
        if (alert.getStatus() == OutboxEntity.Status.DELIVERED) {
            throw ApiError.conflict("alert_delivered", "The alert was delivered already");
        }
        alert.setStatus(OutboxEntity.Status.PENDING);
        alert.setAttempts(0);
        alert.setNextAttemptAt(System.currentTimeMillis());
        alert.setLastError(null);
        AuditLog.append(session, realm.getId(), actorId(), null, "alert.retried", alertDetails(alert));
        return alertView(alert);
    }

    /**
     * Gives up a waiting alert so the ones after it go out; it stays listed as DEAD. Silencing an alert
     * is the realm's security owner's call (manage-realm, who owns the webhook subscriptions), not a
     * helpdesk's: the alert may be about a hire the helpdesk is helping.
     */
    @POST
    @Path("alerts/{alertId}/skip")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> skipAlert(@PathParam("alertId") String alertId) {
        if (!auth.realm().canManageRealm()) {
            throw ApiError.forbidden(
                    "Skipping an alert needs the manage-realm role of realm '" + realm.getName() + "'");
        }
        OutboxEntity alert = loadAlert(alertId);
        if (alert.getStatus() != OutboxEntity.Status.PENDING) {
            throw ApiError.conflict(
                    "alert_not_pending", "Only a waiting alert can be skipped; this one is " + alert.getStatus());
        }
        alert.setStatus(OutboxEntity.Status.DEAD);
        alert.setLastError("skipped by an admin");
        AuditLog.append(session, realm.getId(), actorId(), null, "alert.skipped", alertDetails(alert));
        return alertView(alert);
    }

    /** Which alert, kept in the trail: the outbox row goes when settled alerts are pruned. */
    private static Map<String, Object> alertDetails(OutboxEntity alert) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertId", alert.getId());
        details.put("type", alert.getEventType());
        details.put("subscription", alert.getSubscriptionId());
        details.put("createdAt", Instants.iso(alert.getCreatedAt()));
        return details;
    }

    private OutboxEntity loadAlert(String alertId) {
        return new WebhookOutbox(session)
                .find(realm.getId(), alertId)
                .orElseThrow(() -> ApiError.notFound("No alert " + alertId + " in this realm"));
    }

    private static Map<String, Object> alertView(OutboxEntity alert) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", alert.getId());
        row.put("type", alert.getEventType());
        row.put("subscription", alert.getSubscriptionId());
        row.put("createdAt", Instants.iso(alert.getCreatedAt()));
        row.put("status", alert.getStatus().name());
        row.put("attempts", alert.getAttempts());
        row.put("lastError", alert.getLastError());
        row.put(
                "nextAttemptAt",
                alert.getStatus() == OutboxEntity.Status.PENDING ? Instants.iso(alert.getNextAttemptAt()) : null);
        row.put("deliveredAt", Instants.iso(alert.getDeliveredAt()));
        return row;
    }

    /**
     * Keeps the applicant record and the shipping address given with a request on the case, in the
     * trail, and checks the address against other cases' (the rule's action runs in this transaction).
     */
    private void recordHiringDetails(
            OnboardingCaseEntity onboardingCase,
            UserModel hire,
            Optional<ApplicantRecord> applicant,
            Optional<ShippingAddress> shippingAddress) {
        if (applicant.isEmpty() && shippingAddress.isEmpty()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        applicant.ifPresent(record -> {
            HiringRecords.record(onboardingCase, record);
            details.put(HiringRecords.APPLICANT, record.fields());
        });
        shippingAddress.ifPresent(address -> {
            HiringRecords.record(onboardingCase, address);
            details.put(HiringRecords.SHIPPING_ADDRESS, address.fields());
        });
        AuditLog.append(session, realm.getId(), actorId(), onboardingCase.getUserId(), "case.hiring_record", details);
        HiringRecordChecks checks = new HiringRecordChecks(session, realm);
        if (applicant.isPresent()) {
            // Given after a document step: compared with its names now, so a record written to fit is seen.
            checks.documentApproved(onboardingCase, hire, actorId());
        }
        if (shippingAddress.isPresent()) {
            cases.store().flush();
            checks.shippingAddressSet(onboardingCase, hire, actorId());
        }
    }

    @PATCH
    @Path("cases/{caseId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> updateCase(@PathParam("caseId") String caseId, String body) {
        requireManage();
        OnboardingCaseEntity onboardingCase = load(caseId);
        JsonBody json = JsonBody.parse(body, UPDATE_FIELDS);
        if (UPDATE_FIELDS.stream().noneMatch(json::has)) {
            throw ApiError.badRequest(null, "Nothing to change: give one or more of " + UPDATE_FIELDS);
        }
        long now = System.currentTimeMillis();
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        UserModel sponsor = json.has("sponsor")
                ? resolveSponsor(
                        json.requiredString("sponsor", JsonBody.MAX_STRING), hire == null ? null : hire.getUsername())
                : null;
        Instant deadline = json.optionalInstant("deadline");
        if (deadline != null && !onboardingCase.getStage().isPending()) {
            throw ApiError.conflict(
                    "illegal_transition",
                    "The deadline of a case in stage " + onboardingCase.getStage()
                            + " cannot change; only cases still in onboarding have one");
        }
        long newDeadline = deadline == null ? onboardingCase.getDeadline() : deadlineFrom(deadline, now, 0);
        Optional<ApplicantRecord> applicant = HiringRecords.applicantIn(json);
        if (applicant.isPresent() && onboardingCase.getApplicant() != null) {
            // Written once: the record is what the candidate is compared with, so it cannot be edited to fit.
            throw ApiError.conflict(
                    "applicant_recorded",
                    "This case already has an applicant record; it is kept as the hiring system first gave it");
        }
        Optional<ShippingAddress> shippingAddress = HiringRecords.shippingAddressIn(json);

        if (sponsor != null) {
            onboardingCase.setSponsorId(sponsor.getId());
        }
        onboardingCase.setDeadline(newDeadline);
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put("caseId", onboardingCase.getId());
        changed.put("sponsorId", onboardingCase.getSponsorId());
        changed.put("deadline", Instants.iso(newDeadline));
        if (json.has("sponsor") || json.has("deadline")) {
            AuditLog.append(session, realm.getId(), actorId(), onboardingCase.getUserId(), "case.updated", changed);
        }
        recordHiringDetails(onboardingCase, hire, applicant, shippingAddress);
        flushOrConflict();
        cases.refreshSessionNotes(onboardingCase);
        Map<String, Object> view = views.detail(onboardingCase, now);
        adminEvent
                .operation(OperationType.UPDATE)
                .resourcePath(session.getContext().getUri())
                .representation(view)
                .success();
        return view;
    }

    /**
     * The cases that share a network, the shipping address's building or the sponsor with this one,
     * each with what it shares: where a security team looks for more hired-in workers.
     */
    @GET
    @Path("cases/{caseId}/related")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> related(@PathParam("caseId") String caseId) {
        requireView();
        OnboardingCaseEntity onboardingCase = load(caseId);
        List<Map<String, Object>> items = new ArrayList<>();
        for (RelatedHires.Related related : new RelatedHires(session, realm).of(onboardingCase, MAX_PAGE)) {
            OnboardingCaseEntity other = related.onboardingCase();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", other.getId());
            item.put("user", views.summary(other, System.currentTimeMillis()).get("user"));
            item.put("stage", other.getStage().name());
            item.put(
                    "links",
                    related.links().stream()
                            .map(link -> Map.of("kind", link.kind(), "value", link.value()))
                            .toList());
            items.add(item);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("caseId", onboardingCase.getId());
        view.put("items", items);
        return view;
    }

    /**
     * Sends many verified hires back to verification at once, with one reason (the related hires of a
     * case found out, say): each case answers for itself; a case that is not verified is left as it is.
     */
    @POST
    @Path("cases/bulk-reverify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> bulkReverify(String body) {
        requireManage();
        JsonBody json = JsonBody.parse(body, BULK_REVERIFY_FIELDS);
        List<String> caseIds = json.stringList("cases");
        if (caseIds.isEmpty()) {
            throw ApiError.badRequest("cases", "'cases' must name at least one case id");
        }
        String reason = json.requiredString("reason", JsonBody.MAX_REASON);
        List<Map<String, Object>> results = new ArrayList<>();
        for (String caseId : new java.util.LinkedHashSet<>(caseIds)) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", caseId);
            OnboardingCaseEntity onboardingCase = caseId.length() > 36
                    ? null
                    : cases.store().findById(realm.getId(), caseId).orElse(null);
            Optional<String> refusal = onboardingCase == null ? Optional.empty() : mayNotChange(onboardingCase);
            if (onboardingCase == null) {
                result.put("outcome", "not_found");
            } else if (refusal.isPresent()) {
                result.put("outcome", "forbidden");
                result.put("message", refusal.get());
            } else if (onboardingCase.getStage() != Stage.VERIFIED) {
                result.put("outcome", "skipped");
                result.put("stage", onboardingCase.getStage().name());
            } else {
                cases.apply(onboardingCase, StageEvent.REVERIFY, actorId(), reason);
                result.put("outcome", "reverified");
                result.put("stage", onboardingCase.getStage().name());
            }
            results.add(result);
        }
        flushOrConflict();
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(Map.of("reason", reason, "results", results))
                .success();
        return Map.of("results", results);
    }

    /**
     * {@code suspend}, {@code reinstate}, {@code reject} or {@code reverify} (a verified hire, or one in
     * recovery, back to a full verification), with a required reason.
     */
    @POST
    @Path("cases/{caseId}/{action: suspend|reinstate|reject|reverify}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> changeStage(
            @PathParam("caseId") String caseId, @PathParam("action") String action, String body) {
        return transition(caseId, body, ACTIONS.get(action));
    }

    /**
     * Sends the hire a new invitation; the link of the one before stops working. Only while the
     * hire has not signed in (INVITED): after that, access is a matter of account recovery.
     */
    @POST
    @Path("cases/{caseId}/invitation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> resendInvitation(@PathParam("caseId") String caseId, String body) {
        requireManage();
        OnboardingCaseEntity onboardingCase = load(caseId);
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (hire == null) {
            throw ApiError.conflict("invitation_not_pending", "The hire's account no longer exists");
        }
        if (!auth.users().canManage(hire)) {
            throw ApiError.forbidden("You may not manage user '" + hire.getUsername() + "'");
        }
        if (onboardingCase.getStage() != Stage.INVITED) {
            throw ApiError.conflict(
                    "invitation_not_pending",
                    "The case is in stage " + onboardingCase.getStage()
                            + "; an invitation is only for a hire who has not signed in yet");
        }
        Invitations.Request request = invitations.parse(
                body == null || body.isBlank()
                        ? JsonBody.parse("{}", Invitations.RESEND_FIELDS)
                        : JsonBody.parse(body, Invitations.RESEND_FIELDS),
                hire.getEmail());
        invitations.resetForResend(hire, request, actorId());
        invitations.send(onboardingCase, hire, request, actorId());
        return reportAction(onboardingCase);
    }

    private Map<String, Object> transition(String caseId, String body, StageEvent event) {
        requireManage();
        OnboardingCaseEntity onboardingCase = load(caseId);
        mayNotChange(onboardingCase).ifPresent(refusal -> {
            throw ApiError.forbidden("forbidden", refusal);
        });
        String reason = JsonBody.parse(body, REASON_FIELDS).requiredString("reason", JsonBody.MAX_REASON);
        try {
            cases.apply(onboardingCase, event, actorId(), reason);
        } catch (IllegalTransitionException e) {
            throw ApiError.conflict("illegal_transition", e.getMessage());
        }
        return reportAction(onboardingCase);
    }

    /** Writes the change (409 on a concurrent one), reports it as an admin event and answers the case. */
    private Map<String, Object> reportAction(OnboardingCaseEntity onboardingCase) {
        flushOrConflict();
        Map<String, Object> view = views.detail(onboardingCase, System.currentTimeMillis());
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(view)
                .success();
        return view;
    }

    private void flushOrConflict() {
        orConflict(() -> cases.store().flush());
    }

    /** A write that meets a concurrent change of the case answers 409 and undoes the request. */
    private void orConflict(Runnable write) {
        try {
            write.run();
        } catch (CaseStore.ConcurrentCaseChangeException e) {
            session.getTransactionManager().setRollbackOnly();
            throw ApiError.conflict("concurrent_modification", e.getMessage() + "; read the case again and retry");
        }
    }

    private OnboardingCaseEntity load(String caseId) {
        if (caseId == null || caseId.length() > 36) {
            throw ApiError.notFound(
                    "No onboarding case with id '" + QueryParams.abbreviate(caseId) + "' in this realm");
        }
        return cases.store()
                .findById(realm.getId(), caseId)
                .orElseThrow(() -> ApiError.notFound("No onboarding case with id '" + caseId + "' in this realm"));
    }

    private UserModel resolveSponsor(String sponsorName, String hireUsername) {
        UserModel sponsor = findUser(sponsorName);
        if (sponsor == null) {
            throw ApiError.badRequest("sponsor", "Sponsor '" + sponsorName + "' is not a user of this realm");
        }
        Sponsors.refusal(session, realm, sponsor, sponsorName, hireUsername).ifPresent(refusal -> {
            throw ApiError.badRequest("sponsor", refusal);
        });
        return sponsor;
    }

    private UserModel findUser(String ref) {
        return Users.byIdOrUsername(session, realm, ref);
    }

    private static long deadlineFrom(Instant requested, long now, long fallback) {
        if (requested == null) {
            return fallback;
        }
        long millis = requested.toEpochMilli();
        if (millis <= now) {
            throw ApiError.badRequest("deadline", "The deadline " + requested + " is in the past");
        }
        if (millis > now + MAX_DEADLINE.toMillis()) {
            throw ApiError.badRequest(
                    "deadline", "The deadline may be at most " + MAX_DEADLINE.toDays() + " days away");
        }
        return millis;
    }

    private List<OnboardingCases.Grant> resolveGrants(JsonBody grants) {
        List<OnboardingCases.Grant> result = new ArrayList<>();
        List<String> realmRoles = grants.stringList("realmRoles");
        for (int i = 0; i < realmRoles.size(); i++) {
            RoleModel role = realm.getRole(realmRoles.get(i));
            if (role == null) {
                throw ApiError.badRequest(
                        "grants.realmRoles[" + i + "]", "Realm role '" + realmRoles.get(i) + "' does not exist");
            }
            requireMayMap(role, "grants.realmRoles[" + i + "]");
            result.add(new OnboardingCases.Grant(DeferredGrantEntity.Kind.REALM_ROLE, role.getId()));
        }
        JsonBody clientRoles = grants.freeObject("clientRoles");
        for (String clientId : clientRoles.keys()) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client == null) {
                throw ApiError.badRequest(
                        "grants.clientRoles." + clientId,
                        "Client '" + QueryParams.abbreviate(clientId) + "' does not exist");
            }
            List<String> roles = clientRoles.stringList(clientId);
            for (int i = 0; i < roles.size(); i++) {
                RoleModel role = client.getRole(roles.get(i));
                if (role == null) {
                    throw ApiError.badRequest(
                            "grants.clientRoles." + clientId + "[" + i + "]",
                            "Client '" + clientId + "' has no role '" + roles.get(i) + "'");
                }
                requireMayMap(role, "grants.clientRoles." + clientId + "[" + i + "]");
                result.add(new OnboardingCases.Grant(DeferredGrantEntity.Kind.CLIENT_ROLE, role.getId()));
            }
        }
        List<String> groups = grants.stringList("groups");
        for (int i = 0; i < groups.size(); i++) {
            String path = groups.get(i).startsWith("/") ? groups.get(i) : "/" + groups.get(i);
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                throw ApiError.badRequest("grants.groups[" + i + "]", "Group '" + groups.get(i) + "' does not exist");
            }
            requireMayJoin(group, groups.get(i), "grants.groups[" + i + "]");
            result.add(new OnboardingCases.Grant(DeferredGrantEntity.Kind.GROUP, group.getId()));
        }
        return result;
    }

    /** A deferred group is a membership made later: the admin must be allowed to add members now. */
    private void requireMayJoin(GroupModel group, String name, String field) {
        if (Appointments.reachesPrivileged(realm, group) && !auth.realm().canManageRealm()) {
            throw ApiError.forbiddenField(
                    field,
                    "Group '" + name + "' gives a verifier or "
                            + "auditor role, which only an admin with manage-realm may appoint");
        }
        if (!auth.groups().canManageMembership(group)) {
            throw ApiError.forbiddenField(
                    field, "You may not add members to group '" + name + "', so you cannot defer it to a hire either");
        }
    }

    /**
     * A deferred grant is a role mapping made later: the creating admin must be allowed to make that
     * mapping now, by Keycloak's own rules, or a helpdesk admin could plant realm-admin for later.
     */
    private void requireMayMap(RoleModel role, String field) {
        if (Appointments.reachesPrivileged(realm, role) && !auth.realm().canManageRealm()) {
            throw ApiError.forbiddenField(
                    field,
                    "Role '" + role.getName() + "' gives a verifier or auditor role, which only "
                            + "an admin with manage-realm may appoint");
        }
        if (!auth.roles().canMapRole(role)) {
            throw ApiError.forbiddenField(
                    field,
                    "You may not grant role '"
                            + HeldGrants.describe(
                                    realm,
                                    role.isClientRole()
                                            ? DeferredGrantEntity.Kind.CLIENT_ROLE
                                            : DeferredGrantEntity.Kind.REALM_ROLE,
                                    role.getId())
                            + "' yourself, so you cannot defer it to a hire either");
        }
    }

    private static String describe(ValidationException e) {
        List<String> messages = new ArrayList<>();
        for (ValidationException.Error error : e.getErrors()) {
            messages.add(error.getAttribute() + ": " + error.getMessage());
        }
        return "The hire's profile is not valid: " + String.join("; ", messages);
    }

    private String actorId() {
        return auth.adminAuth().getUser().getId();
    }

    private void requireView() {
        if (!auth.users().canView()) {
            throw ApiError.forbidden("Viewing onboarding cases needs the view-users or manage-users role of realm '"
                    + realm.getName() + "'");
        }
    }

    /**
     * Why the caller may not change this case's stage, if they may not: a hire they may not manage
     * (fine-grained permissions), their own case, or a hire who administers the realm while the caller
     * lacks manage-realm — a stage change takes roles away and ends sessions, which Keycloak would not
     * let such a caller do directly.
     */
    private Optional<String> mayNotChange(OnboardingCaseEntity onboardingCase) {
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (hire == null) {
            return Optional.empty();
        }
        if (!auth.users().canManage(hire)) {
            return Optional.of("You may not manage user '" + hire.getUsername() + "'");
        }
        if (hire.getId().equals(auth.adminAuth().getUser().getId())) {
            return Optional.of("You cannot change the stage of your own onboarding case");
        }
        Optional<String> administers = Administrators.roleOf(realm, hire);
        if (administers.isPresent() && !auth.realm().canManageRealm()) {
            return Optional.of("'" + hire.getUsername() + "' administers this realm (" + administers.get()
                    + "); changing their case needs manage-realm");
        }
        return Optional.empty();
    }

    private void requireManage() {
        if (!auth.users().canManage()) {
            throw ApiError.forbidden(
                    "Changing onboarding cases needs the manage-users role of realm '" + realm.getName() + "'");
        }
    }
}
