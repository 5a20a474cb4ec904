package io.github.onboardingguard.verification;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedClaimsTest {

    @Test
    @DisplayName("document and identity approvals become document and vouch evidence")
    @SuppressWarnings("unchecked")
    void shape() {
        Instant documentAt = Instant.parse("2026-11-20T10:00:00Z");
        Instant identityAt = Instant.parse("2026-11-21T09:30:00Z");
        Map<String, Object> claims = VerifiedClaims.build("acme_onboarding", "case-1", "ACME", List.of(
                new VerifiedClaims.Approval(VerificationStep.IDENTITY, VerificationMethod.IN_PERSON, identityAt,
                        Map.of("faceMatchesDocument", true), "HR-2"),
                new VerifiedClaims.Approval(VerificationStep.DOCUMENT, VerificationMethod.IN_PERSON, documentAt,
                        Map.of("documentType", "DRIVING_LICENCE", "issuingCountry", "AT", "expiryDate", "2029-02-01"), "HR-1")),
                "Ada", "Lovelace");

        Map<String, Object> verification = (Map<String, Object>) claims.get("verification");
        assertThat(verification).containsEntry("trust_framework", "acme_onboarding")
                .containsEntry("time", "2026-11-21T09:30:00Z").containsEntry("verification_process", "case-1");
        List<Map<String, Object>> evidence = (List<Map<String, Object>>) verification.get("evidence");
        assertThat(evidence).extracting(e -> e.get("type")).containsExactly("document", "vouch");
        assertThat(evidence.get(0)).containsEntry("method", "pipp")
                .containsEntry("document_details", Map.of("type", "driving_permit", "issuer", Map.of("country_code", "AT"),
                        "date_of_expiry", "2029-02-01"));
        assertThat((Map<String, Object>) evidence.get(1).get("attestation")).containsEntry("reference_number", "HR-2")
                .containsEntry("date_of_issuance", "2026-11-21");
        assertThat(claims.get("claims")).isEqualTo(Map.of("given_name", "Ada", "family_name", "Lovelace"));
    }
}
