package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.pipeline.PipelineSummary;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.recovery.Repudiations;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.vendors.VendorCallbacks;
import io.github.onboardingguard.webhooks.StandardWebhooks;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;

/**
 * {@code /realms/{realm}/onboarding}: the onboarding console page and the APIs it calls. Each
 * API authenticates the bearer token and checks the caller's role before anything else.
 */
public final class OnboardingRealmResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Duration resultSignInMaxAge;

    OnboardingRealmResource(KeycloakSession session, RealmModel realm, Duration resultSignInMaxAge) {
        this.session = session;
        this.realm = realm;
        this.resultSignInMaxAge = resultSignInMaxAge;
    }

    /** Who is signed in and which parts of the console they may use. */
    @GET
    @Path("me")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> me() {
        Caller caller = Caller.authenticate(session, realm);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("username", caller.user().getUsername());
        view.put("name", Users.displayName(caller.user()));
        view.put("verifier", caller.verifier());
        view.put("auditor", caller.auditor());
        view.put("helpdesk", caller.helpdesk());
        // Whether to show "Your hires": someone whose hires wait for the identity step, when the policy asks sponsors.
        view.put(
                "sponsor",
                caller.verifiedOrNoCase()
                        && RealmPolicies.of(session, realm).sponsorAttestation()
                        && !new CaseStore(session)
                                .awaitingIdentityOfSponsor(
                                        realm.getId(), caller.user().getId(), 1)
                                .isEmpty());
        // Only whether to show the admin sections: the admin API checks every call itself.
        AdminPermissionEvaluator permissions = AdminPermissions.evaluator(session, realm, realm, caller.user());
        boolean adminOfUsers = caller.verifiedOrNoCase();
        view.put("startsHires", adminOfUsers && permissions.users().canManage());
        view.put("viewsCases", adminOfUsers && permissions.users().canView());
        view.put("managesCases", adminOfUsers && permissions.users().canManage());
        view.put("viewsRealm", adminOfUsers && permissions.realm().canViewRealm());
        view.put("managesRealm", adminOfUsers && permissions.realm().canManageRealm());
        return view;
    }

    /**
     * The pipeline at a glance, for auditors and for admins who may view the realm's users (a hire
     * still in onboarding is neither, whatever roles they hold).
     */
    @GET
    @Path("pipeline")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> pipeline() {
        Caller caller = Caller.authenticate(session, realm);
        boolean viewsCases = caller.verifiedOrNoCase()
                && AdminPermissions.evaluator(session, realm, realm, caller.user())
                        .users()
                        .canView();
        if (!caller.auditor() && !viewsCases) {
            throw ApiError.forbidden("The pipeline needs the '" + Caller.AUDITOR_ROLE
                    + "' realm role, or the view-users or manage-users role of realm '" + realm.getName() + "'");
        }
        caller.requireConsole("Pipeline");
        return new PipelineSummary(session, realm).view(Instant.now());
    }

    @Path("verifications")
    public VerifierResource verifications() {
        Caller caller = Caller.authenticate(session, realm).requireVerifier();
        return new VerifierResource(session, realm, caller, resultSignInMaxAge);
    }

    @Path("sponsor")
    public SponsorResource sponsor() {
        Caller caller = Caller.authenticate(session, realm).requireColleague();
        return new SponsorResource(session, realm, caller.user());
    }

    @Path("helpdesk")
    public HelpdeskResource helpdesk() {
        Caller caller = Caller.authenticate(session, realm).requireHelpdesk();
        return new HelpdeskResource(session, realm, caller.user());
    }

    /** The confirmation of a recovery notice's "this wasn't me" link; the signed token is the authorization. */
    @POST
    @Path("recovery/repudiate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response repudiate(@FormParam("key") String key) {
        return new Repudiations(session, realm).confirm(key);
    }

    /**
     * An identity-verification vendor's result, signed as Standard Webhooks sign (a secret per vendor on
     * the realm's vendors page); the signature is the authorization.
     */
    @POST
    @Path("vendors/{vendor}/results")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> vendorResult(
            @PathParam("vendor") String vendor,
            @HeaderParam(StandardWebhooks.ID_HEADER) String messageId,
            @HeaderParam(StandardWebhooks.TIMESTAMP_HEADER) String timestamp,
            @HeaderParam(StandardWebhooks.SIGNATURE_HEADER) String signature,
            InputStream body) {
        return new VendorCallbacks(session, realm).receive(vendor, messageId, timestamp, signature, body);
    }

    @Path("audit")
    public AuditResource audit() {
        Caller.authenticate(session, realm).requireAuditor();
        return new AuditResource(session, realm);
    }

    @Path("console")
    public ConsoleResource console() {
        return new ConsoleResource(session, realm);
    }
}
