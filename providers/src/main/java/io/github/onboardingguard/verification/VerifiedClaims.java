package io.github.onboardingguard.verification;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;

/**
 * The {@code verified_claims} claim in the shape of OpenID Identity Assurance Schema Definition 1.0
 * (final): one {@code document} evidence whose {@code check_details} are the verifier's checks, the
 * document's authenticity from the document step and the person against the document from the
 * identity step. Neither carries more than the checklist recorded.
 */
public final class VerifiedClaims {

    /** Trust framework identifiers registered with the OpenID eKYC-IDA working group that fit hiring checks. */
    public static final List<String> REGISTERED_TRUST_FRAMEWORKS =
            List.of("nist_800_63A", "uk_tfida", "eidas", "de_aml", "jp_aml");

    private VerifiedClaims() {}

    /**
     * An approved ceremony, as recorded.
     *
     * @param checkedBy the organisation that checked, when not the one attesting: an identity-verification
     *     vendor (method {@link VerificationMethod#VENDOR}); null otherwise
     */
    public record Approval(
            VerificationStep step,
            VerificationMethod method,
            Instant at,
            Map<String, Object> checklist,
            String evidenceRef,
            String checkedBy) {}

    /**
     * @param document the approved document step; without it there is no evidence of the names
     * @param identity the approved identity step, if any
     */
    public static Map<String, Object> build(
            String trustFramework,
            String processId,
            String organization,
            Approval document,
            Optional<Approval> identity,
            String givenName,
            String familyName) {
        List<Map<String, Object>> checks = new ArrayList<>();
        checks.add(check(document.method() == VerificationMethod.IN_PERSON ? "vpip" : "vri", organization, document));
        identity.ifPresent(step ->
                checks.add(check(step.method() == VerificationMethod.IN_PERSON ? "pvp" : "pvr", organization, step)));

        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("type", "document");
        evidence.put("check_details", checks);
        evidence.put("time", time(document.at()));
        evidence.put("document_details", documentDetails(document.checklist()));

        Instant completed = identity.map(Approval::at)
                .filter(at -> at.isAfter(document.at()))
                .orElse(document.at());
        Map<String, Object> verification = new LinkedHashMap<>();
        verification.put("trust_framework", trustFramework);
        verification.put("time", time(completed));
        verification.put("verification_process", processId);
        verification.put("evidence", List.of(evidence));

        Map<String, Object> claims = new LinkedHashMap<>();
        putIfPresent(claims, "given_name", givenName);
        putIfPresent(claims, "family_name", familyName);
        Map<String, Object> verifiedClaims = new LinkedHashMap<>();
        verifiedClaims.put("verification", verification);
        verifiedClaims.put("claims", claims);
        return verifiedClaims;
    }

    /**
     * check_method values of the working group's registry: {@code vpip} the document inspected in person,
     * {@code vri} inspected in images taken remotely (video); {@code pvp}/{@code pvr} a person compared
     * with the document's photo in person or remotely. {@code check_id} is the verifier's evidence
     * reference, which the audit trail resolves.
     */
    private static Map<String, Object> check(String method, String organization, Approval approval) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("check_method", method);
        check.put("organization", approval.checkedBy() == null ? organization : approval.checkedBy());
        putIfPresent(check, "check_id", approval.evidenceRef());
        check.put("time", time(approval.at()));
        return check;
    }

    private static Map<String, Object> documentDetails(Map<String, Object> checklist) {
        Map<String, Object> details = new LinkedHashMap<>();
        Object type = checklist.get(Checklist.DOCUMENT_TYPE);
        details.put("type", type == null ? "document" : documentType(type.toString()));
        putIfPresent(details, "date_of_expiry", checklist.get(Checklist.EXPIRY_DATE));
        Object country = checklist.get(Checklist.ISSUING_COUNTRY);
        if (country != null) {
            details.put("issuer", Map.of("country_code", countryCode(country.toString())));
        }
        return details;
    }

    /** The schema asks for ISO 3166 / ICAO three-letter codes; the checklist records two letters. */
    static String countryCode(String alpha2) {
        try {
            String alpha3 = new Locale("", alpha2).getISO3Country();
            return alpha3.isEmpty() ? alpha2 : alpha3;
        } catch (MissingResourceException e) {
            return alpha2;
        }
    }

    /** Seconds precision, as the schema's {@code YYYY-MM-DDThh:mm[:ss]TZD} allows no fraction. */
    private static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .replace("+00:00", "Z");
    }

    private static String documentType(String checklistType) {
        return switch (checklistType) {
            case "PASSPORT" -> "passport";
            case "ID_CARD" -> "idcard";
            case "DRIVING_LICENCE" -> "driving_permit";
            case "RESIDENCE_PERMIT" -> "residence_permit";
            default -> checklistType.toLowerCase(Locale.ROOT);
        };
    }

    private static void putIfPresent(Map<String, Object> target, String key, Object value) {
        if (value != null) {
            target.put(key, value);
        }
    }
}
