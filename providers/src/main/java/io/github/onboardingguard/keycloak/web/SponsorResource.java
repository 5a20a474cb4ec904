package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.QueryParams;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.keycloak.verification.VerificationViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/onboarding/sponsor}: the sponsor (the hiring manager) confirms during the
 * identity ceremony that the person on the call is the one they interviewed and hired. Only for
 * their own hires; the sponsor never verifies.
 */
public final class SponsorResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel sponsor;
    private final Ceremonies ceremonies;
    private final VerificationViews views;

    SponsorResource(KeycloakSession session, RealmModel realm, UserModel sponsor) {
        this.session = session;
        this.realm = realm;
        this.sponsor = sponsor;
        this.ceremonies = new Ceremonies(session, realm);
        this.views = new VerificationViews(session, realm);
    }

    @GET
    @Path("ceremonies")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> ceremonies() {
        List<Map<String, Object>> items = ceremonies.openIdentityCeremoniesSponsoredBy(sponsor).stream()
                .map(this::view)
                .toList();
        return Map.of("items", items);
    }

    @POST
    @Path("ceremonies/{ceremonyId}/attest")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> attest(@PathParam("ceremonyId") String ceremonyId) {
        CeremonyEntity ceremony = ceremonies
                .find(ceremonyId)
                .orElseThrow(() -> ApiError.notFound("No identity ceremony of a hire you sponsor with id '"
                        + QueryParams.abbreviate(ceremonyId) + "'"));
        ceremonies.attestAsSponsor(ceremony, sponsor);
        return view(ceremony);
    }

    private Map<String, Object> view(CeremonyEntity ceremony) {
        Map<String, Object> full = views.ceremony(ceremony);
        Map<String, Object> view = new LinkedHashMap<>();
        // What a sponsor needs to recognise the call; not the code's state or the checklist.
        for (String key : List.of("id", "method", "status", "verifier", "openedAt", "sponsorAttestation")) {
            view.put(key, full.get(key));
        }
        UserModel hire = ceremonies
                .caseStore()
                .findById(realm.getId(), ceremony.getCaseId())
                .map(c -> session.users().getUserById(realm, c.getUserId()))
                .orElse(null);
        view.put("username", hire == null ? null : hire.getUsername());
        view.put("name", hire == null ? null : Users.displayName(hire));
        return view;
    }
}
