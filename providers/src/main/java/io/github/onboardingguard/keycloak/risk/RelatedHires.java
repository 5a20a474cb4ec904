package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.HiringRecords;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.Users;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The cases that share something with one case, as a security team looks for more hired-in workers
 * once it has found one: a network the hires signed in from (/24 or /64, from the login traces), the
 * equipment shipping address's building, or the sponsor.
 */
public final class RelatedHires {

    /** What two cases share, and its value (a network, a building, a sponsor's username). */
    public record Link(String kind, String value) {}

    public record Related(OnboardingCaseEntity onboardingCase, List<Link> links) {}

    /** Networks of the case's hire looked at, at most. */
    private static final int MAX_NETWORKS = 20;
    /** Cases per network, building or sponsor, at most. */
    private static final int MAX_PER_LINK = 50;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CaseStore cases;

    public RelatedHires(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.cases = new CaseStore(session);
    }

    /** Related cases, the ones sharing most first; at most {@code max}. */
    public List<Related> of(OnboardingCaseEntity onboardingCase, int max) {
        Map<String, Related> found = new LinkedHashMap<>();
        LoginTraces traces = new LoginTraces(session);
        for (String prefix : traces.prefixesOf(realm.getId(), onboardingCase.getUserId(), MAX_NETWORKS)) {
            for (String userId : traces.usersAt(realm.getId(), prefix, MAX_PER_LINK + 1)) {
                if (!userId.equals(onboardingCase.getUserId())) {
                    cases.findByUser(realm.getId(), userId)
                            .ifPresent(other -> add(found, other, new Link("network", prefix)));
                }
            }
        }
        if (onboardingCase.getShippingKey() != null) {
            String building = HiringRecords.shippingAddressOf(onboardingCase)
                    .map(address -> address.building())
                    .orElse(onboardingCase.getShippingKey());
            for (OnboardingCaseEntity other : cases.sharingShippingAddress(
                    realm.getId(), onboardingCase.getShippingKey(), onboardingCase.getId(), 0, MAX_PER_LINK)) {
                add(found, other, new Link("shippingAddress", building));
            }
        }
        if (onboardingCase.getSponsorId() != null) {
            String sponsor = Users.username(session, realm, onboardingCase.getSponsorId());
            for (OnboardingCaseEntity other : cases.sponsoredBy(
                    realm.getId(), onboardingCase.getSponsorId(), onboardingCase.getId(), MAX_PER_LINK)) {
                add(found, other, new Link("sponsor", sponsor == null ? onboardingCase.getSponsorId() : sponsor));
            }
        }
        List<Related> related = new ArrayList<>(found.values());
        related.sort((a, b) -> Integer.compare(b.links().size(), a.links().size()));
        return related.subList(0, Math.min(related.size(), max));
    }

    private static void add(Map<String, Related> found, OnboardingCaseEntity other, Link link) {
        found.computeIfAbsent(other.getId(), id -> new Related(other, new ArrayList<>()))
                .links()
                .add(link);
    }
}
