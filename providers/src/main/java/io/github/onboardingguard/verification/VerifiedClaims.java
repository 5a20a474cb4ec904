package io.github.onboardingguard.verification;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code verified_claims} claim, shaped after OpenID Connect for Identity Assurance 1.0:
 * the document step becomes {@code document} evidence, the identity step a {@code vouch} by the
 * verifier's organisation. Neither carries more than the checklist recorded.
 */
public final class VerifiedClaims {

    private VerifiedClaims() {
    }

    /** An approved ceremony, as recorded. */
    public record Approval(VerificationStep step, VerificationMethod method, Instant at,
                           Map<String, Object> checklist, String evidenceRef) {
    }

    public static Map<String, Object> build(String trustFramework, String processId, String organization,
                                            List<Approval> approvals, String givenName, String familyName) {
        List<Approval> ordered = approvals.stream().sorted(Comparator.comparing(Approval::at)).toList();
        List<Map<String, Object>> evidence = new ArrayList<>();
        for (Approval approval : ordered) {
            evidence.add(approval.step() == VerificationStep.DOCUMENT
                    ? documentEvidence(approval, organization)
                    : vouchEvidence(approval, organization));
        }
        Map<String, Object> verification = new LinkedHashMap<>();
        verification.put("trust_framework", trustFramework);
        if (!ordered.isEmpty()) {
            verification.put("time", ordered.get(ordered.size() - 1).at().toString());
        }
        verification.put("verification_process", processId);
        verification.put("evidence", evidence);

        Map<String, Object> claims = new LinkedHashMap<>();
        if (givenName != null) {
            claims.put("given_name", givenName);
        }
        if (familyName != null) {
            claims.put("family_name", familyName);
        }
        Map<String, Object> verifiedClaims = new LinkedHashMap<>();
        verifiedClaims.put("verification", verification);
        verifiedClaims.put("claims", claims);
        return verifiedClaims;
    }

    private static Map<String, Object> documentEvidence(Approval approval, String organization) {
        Map<String, Object> issuer = new LinkedHashMap<>();
        putIfPresent(issuer, "country_code", approval.checklist().get(Checklist.ISSUING_COUNTRY));
        Map<String, Object> details = new LinkedHashMap<>();
        Object type = approval.checklist().get(Checklist.DOCUMENT_TYPE);
        if (type != null) {
            details.put("type", documentType(type.toString()));
        }
        details.put("issuer", issuer);
        putIfPresent(details, "date_of_expiry", approval.checklist().get(Checklist.EXPIRY_DATE));

        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("type", "document");
        // Physical in-person proofing, or supervised remote in-person proofing over video.
        evidence.put("method", approval.method() == VerificationMethod.IN_PERSON ? "pipp" : "sripp");
        evidence.put("verifier", Map.of("organization", organization, "txn", approval.evidenceRef()));
        evidence.put("time", approval.at().toString());
        evidence.put("document_details", details);
        return evidence;
    }

    private static Map<String, Object> vouchEvidence(Approval approval, String organization) {
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("type", "written_attestation");
        attestation.put("reference_number", approval.evidenceRef());
        attestation.put("date_of_issuance", approval.at().atZone(ZoneOffset.UTC).toLocalDate().toString());
        attestation.put("voucher", Map.of("organization", organization));

        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("type", "vouch");
        evidence.put("time", approval.at().toString());
        evidence.put("attestation", attestation);
        return evidence;
    }

    private static String documentType(String checklistType) {
        return switch (checklistType) {
            case "PASSPORT" -> "passport";
            case "ID_CARD" -> "idcard";
            case "DRIVING_LICENCE" -> "driving_permit";
            case "RESIDENCE_PERMIT" -> "residence_permit";
            default -> checklistType.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static void putIfPresent(Map<String, Object> target, String key, Object value) {
        if (value != null) {
            target.put(key, value);
        }
    }
}
