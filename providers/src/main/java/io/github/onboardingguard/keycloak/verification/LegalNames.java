package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.verification.Checklist;
import io.github.onboardingguard.verification.Outcome;
import io.github.onboardingguard.verification.VerificationStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The hire's legal names as the verifier read them from the document at the last approved
 * document step. What {@code verified_claims} attests, and what the profile must still say for
 * it to be attested.
 */
public record LegalNames(String givenName, String familyName) {

    /** From the case's latest approved document step; empty when none recorded names. */
    public static Optional<LegalNames> of(
            KeycloakSession session, RealmModel realm, OnboardingCaseEntity onboardingCase) {
        return latestIn(new CeremonyStore(session).verificationsOf(realm.getId(), onboardingCase.getId()));
    }

    /** From a case's verification records, oldest first. */
    static Optional<LegalNames> latestIn(List<VerificationEntity> records) {
        return records.stream()
                .filter(v -> v.getStep() == VerificationStep.DOCUMENT && v.getOutcome() == Outcome.APPROVE)
                .reduce((first, second) -> second)
                .flatMap(LegalNames::recordedIn);
    }

    static Optional<LegalNames> recordedIn(VerificationEntity record) {
        Object parsed = StoredJson.parse(record.getChecklist());
        if (!(parsed instanceof Map<?, ?> checklist)) {
            return Optional.empty();
        }
        Object given = checklist.get(Checklist.GIVEN_NAME);
        Object family = checklist.get(Checklist.FAMILY_NAME);
        return given instanceof String g && family instanceof String f
                ? Optional.of(new LegalNames(g, f))
                : Optional.empty();
    }

    /** Whether the profile still carries these names (letter case and surrounding spaces aside). */
    public boolean matches(UserModel user) {
        return same(givenName, user.getFirstName()) && same(familyName, user.getLastName());
    }

    /** The same names, letter case and surrounding spaces aside. */
    public boolean sameAs(LegalNames other) {
        return same(givenName, other.givenName()) && same(familyName, other.familyName());
    }

    /** Makes the profile say what the document says. */
    void applyTo(UserModel user) {
        if (!same(givenName, user.getFirstName())) {
            user.setFirstName(givenName);
        }
        if (!same(familyName, user.getLastName())) {
            user.setLastName(familyName);
        }
    }

    private static boolean same(String recorded, String current) {
        return current != null && recorded.strip().equalsIgnoreCase(current.strip());
    }
}
