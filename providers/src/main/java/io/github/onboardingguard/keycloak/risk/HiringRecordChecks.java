package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.HiringRecords;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.verification.LegalNames;
import io.github.onboardingguard.risk.ApplicantRecord;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.risk.RiskSettings;
import io.github.onboardingguard.risk.ShippingAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The rules that compare a case with what the hiring system recorded: {@code candidate_mismatch}
 * (the applicant record against the document's names and later contacts) and
 * {@code shared_shipping_address} (other hires' equipment shipped to the same building).
 */
public final class HiringRecordChecks {

    /** Phone attributes compared with the applicant's phone. */
    private static final List<String> PHONE_ATTRIBUTES = List.of("phoneNumber", "mobile");
    /** Cases named in one signal's evidence, at most. */
    private static final int MAX_LISTED = 50;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final RiskSettings settings;

    public HiringRecordChecks(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.settings = RealmPolicies.of(session, realm).risk();
    }

    /** A shipping address was just set on the case: other open or recent cases shipping to the same building. */
    public void shippingAddressSet(OnboardingCaseEntity onboardingCase, UserModel hire, String actor) {
        RiskSettings.Rule rule = settings.rule(RiskRule.SHARED_SHIPPING_ADDRESS);
        Optional<ShippingAddress> address = HiringRecords.shippingAddressOf(onboardingCase);
        if (!rule.on() || address.isEmpty() || hire == null) {
            return;
        }
        long since = System.currentTimeMillis() - rule.window().toMillis();
        List<OnboardingCaseEntity> others = new CaseStore(session)
                .sharingShippingAddress(
                        realm.getId(), onboardingCase.getShippingKey(), onboardingCase.getId(), since, MAX_LISTED);
        if (others.size() + 1 < rule.count("accounts")) {
            return;
        }
        List<String> usernames = new ArrayList<>();
        for (OnboardingCaseEntity other : others) {
            String username = Users.username(session, realm, other.getUserId());
            usernames.add(username == null ? other.getUserId() : username);
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", "SHIPPING_ADDRESS_SET");
        evidence.put("actor", actor);
        evidence.put("building", address.get().building());
        evidence.put("sharedWith", usernames.stream().sorted().toList());
        evidence.put("window", rule.window().toString());
        new RiskResponder(session, realm).respond(onboardingCase, hire, rule, evidence, null);
    }

    /**
     * A document step was approved: the names the verifier read from it against the applicant's.
     * Recorded for whoever holds the live step next, and on the dossier.
     */
    public void documentApproved(OnboardingCaseEntity onboardingCase, UserModel hire, String verifierId) {
        Optional<LegalNames> names = LegalNames.of(session, realm, onboardingCase);
        if (names.isPresent() && hire != null) {
            namesMismatch(
                    onboardingCase, hire, names.get().givenName(), names.get().familyName(), verifierId);
        }
    }

    /**
     * Whether a document's legal names are not the applicant's (then {@code candidate_mismatch} is
     * raised with the rule's action); false when the case has no applicant record.
     */
    public boolean namesMismatch(
            OnboardingCaseEntity onboardingCase, UserModel hire, String givenName, String familyName, String actor) {
        Optional<ApplicantRecord> applicant = HiringRecords.applicantOf(onboardingCase);
        if (applicant.isEmpty() || applicant.get().nameMatches(givenName, familyName)) {
            return false;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", "DOCUMENT_CHECKED");
        evidence.put("actor", actor);
        evidence.put("field", "name");
        evidence.put("applicant", applicant.get().name());
        evidence.put("document", givenName + " " + familyName);
        fire(onboardingCase, hire, evidence);
        return true;
    }

    /**
     * The hire's email or phone changed while the case is open: a value the applicant record does
     * not have is someone else's contact (the stand-in's, or a handler's).
     *
     * @param changedFields the contact fields that changed ({@code email}, profile attribute names)
     * @param source what changed it: the event's type, or {@link RiskMonitor#ADMIN_UPDATE}
     */
    void contactsChanged(
            OnboardingCaseEntity onboardingCase,
            UserModel user,
            Collection<String> changedFields,
            String source,
            String actor) {
        Optional<ApplicantRecord> applicant = HiringRecords.applicantOf(onboardingCase);
        if (applicant.isEmpty() || !onboardingCase.getStage().isPending()) {
            return;
        }
        if (changedFields.contains("email")
                && applicant.get().email() != null
                && !applicant.get().emailMatches(user.getEmail())) {
            fire(
                    onboardingCase,
                    user,
                    contactEvidence(source, actor, "email", applicant.get().email(), user.getEmail()));
        }
        if (applicant.get().phone() == null) {
            return;
        }
        // Every phone attribute that changed: a stand-in's number put in a second attribute counts too.
        for (String attribute : PHONE_ATTRIBUTES) {
            String phone = user.getFirstAttribute(attribute);
            if (changedFields.contains(attribute)
                    && phone != null
                    && !phone.isBlank()
                    && !applicant.get().phoneMatches(phone)) {
                fire(
                        onboardingCase,
                        user,
                        contactEvidence(
                                source, actor, attribute, applicant.get().phone(), phone));
            }
        }
    }

    private static Map<String, Object> contactEvidence(
            String source, String actor, String field, String recorded, String now) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", source);
        evidence.put("actor", actor);
        evidence.put("field", field);
        evidence.put("applicant", recorded);
        evidence.put("now", now);
        return evidence;
    }

    private void fire(OnboardingCaseEntity onboardingCase, UserModel user, Map<String, Object> evidence) {
        RiskSettings.Rule rule = settings.rule(RiskRule.CANDIDATE_MISMATCH);
        if (rule.on()) {
            new RiskResponder(session, realm).respond(onboardingCase, user, rule, evidence, null);
        }
    }
}
