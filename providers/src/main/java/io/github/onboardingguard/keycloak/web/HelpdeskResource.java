package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.JsonBody;
import io.github.onboardingguard.keycloak.support.QueryParams;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/onboarding/helpdesk}: a helpdesk member checks that a caller is the verified
 * hire they claim to be, before resetting one of their credentials. The caller reads out the code their
 * own onboarding page shows (or signs in with the passkey bound at verification); a passed check lets that
 * member, and only them, reset the hire's credentials for {@link Ceremonies#HELPDESK_RESET_WINDOW}.
 */
public final class HelpdeskResource {

    private static final Set<String> OPEN_FIELDS = Set.of("user");
    private static final Set<String> ANSWER_FIELDS = Set.of("code");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel staff;
    private final Ceremonies ceremonies;
    private final VerificationViews views;

    HelpdeskResource(KeycloakSession session, RealmModel realm, UserModel staff) {
        this.session = session;
        this.realm = realm;
        this.staff = staff;
        this.ceremonies = new Ceremonies(session, realm);
        this.views = new VerificationViews(session, realm);
    }

    @POST
    @Path("checks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response open(String body) {
        String reference =
                JsonBody.parse(body, OPEN_FIELDS).requiredString("user", 255).trim();
        UserModel caller = Users.byIdOrUsername(session, realm, reference);
        if (caller == null && reference.contains("@")) {
            caller = session.users().getUserByEmail(realm, reference);
        }
        OnboardingCaseEntity onboardingCase = caller == null
                ? null
                : new CaseLookup(session, realm).findFor(caller).orElse(null);
        if (onboardingCase == null) {
            throw ApiError.notFound("No onboarded user '" + QueryParams.abbreviate(reference) + "' in this realm");
        }
        CeremonyEntity check = ceremonies.openHelpdeskCheck(onboardingCase, staff);
        return Response.status(Response.Status.CREATED)
                .entity(view(check, caller))
                .build();
    }

    @GET
    @Path("checks/{checkId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> check(@PathParam("checkId") String checkId) {
        CeremonyEntity check = ownCheck(checkId);
        return view(check, hireOf(check));
    }

    @POST
    @Path("checks/{checkId}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> answer(@PathParam("checkId") String checkId, String body) {
        String code = JsonBody.parse(body, ANSWER_FIELDS).requiredString("code", 32);
        CeremonyEntity check = ownCheck(checkId);
        ceremonies.answerHelpdeskCheck(check, staff, code);
        return view(check, hireOf(check));
    }

    @POST
    @Path("checks/{checkId}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cancel(@PathParam("checkId") String checkId) {
        CeremonyEntity check = ownCheck(checkId);
        ceremonies.cancel(check, staff);
        return view(check, hireOf(check));
    }

    /** Only the member's own checks exist for them: a check is a step in one phone call. */
    private CeremonyEntity ownCheck(String checkId) {
        return ceremonies
                .find(checkId)
                .filter(c -> c.getStep() == VerificationStep.HELPDESK
                        && staff.getId().equals(c.getVerifierId()))
                .orElseThrow(() -> ApiError.notFound(
                        "No helpdesk check of yours with id '" + QueryParams.abbreviate(checkId) + "' in this realm"));
    }

    private UserModel hireOf(CeremonyEntity check) {
        return ceremonies
                .caseStore()
                .findById(realm.getId(), check.getCaseId())
                .map(c -> session.users().getUserById(realm, c.getUserId()))
                .orElse(null);
    }

    private Map<String, Object> view(CeremonyEntity check, UserModel caller) {
        Map<String, Object> view = new LinkedHashMap<>(views.ceremony(check));
        view.put("userId", caller == null ? null : caller.getId());
        view.put("username", caller == null ? null : caller.getUsername());
        view.put("name", caller == null ? null : Users.displayName(caller));
        if (check.getStatus() == CeremonyEntity.Status.COMPLETED) {
            view.put("passed", true);
            view.put("resetAllowedMinutes", Ceremonies.HELPDESK_RESET_WINDOW.toMinutes());
        }
        return view;
    }
}
