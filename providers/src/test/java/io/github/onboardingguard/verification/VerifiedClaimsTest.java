package io.github.onboardingguard.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.IdaSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("verified_claims in the shape of OpenID Identity Assurance Schema Definition 1.0")
class VerifiedClaimsTest {

    private static final Instant DOCUMENT_AT = Instant.parse("2026-11-20T10:00:00.123Z");
    private static final Instant IDENTITY_AT = Instant.parse("2026-11-21T09:30:00Z");
    private static final VerifiedClaims.Approval DOCUMENT = new VerifiedClaims.Approval(
            VerificationStep.DOCUMENT,
            VerificationMethod.IN_PERSON,
            DOCUMENT_AT,
            Map.of("documentType", "DRIVING_LICENCE", "issuingCountry", "AT", "expiryDate", "2029-02-01"),
            "HR-1",
            null);
    private static final VerifiedClaims.Approval IDENTITY = new VerifiedClaims.Approval(
            VerificationStep.IDENTITY,
            VerificationMethod.VIDEO,
            IDENTITY_AT,
            Map.of("faceMatchesDocument", true),
            "HR-2",
            null);

    @Test
    @DisplayName(
            "one document evidence: the document's check from the document step, the person's from the identity step")
    void shape() {
        Map<String, Object> claims = VerifiedClaims.build(
                "acme_onboarding", "case-1", "ACME", DOCUMENT, Optional.of(IDENTITY), "Ada", "Lovelace");

        assertThat(claims)
                .isEqualTo(Map.of(
                        "verification",
                                Map.of(
                                        "trust_framework", "acme_onboarding",
                                        "time", "2026-11-21T09:30:00Z",
                                        "verification_process", "case-1",
                                        "evidence",
                                                List.of(Map.of(
                                                        "type",
                                                        "document",
                                                        "check_details",
                                                        List.of(
                                                                Map.of(
                                                                        "check_method",
                                                                        "vpip",
                                                                        "organization",
                                                                        "ACME",
                                                                        "check_id",
                                                                        "HR-1",
                                                                        "time",
                                                                        "2026-11-20T10:00:00Z"),
                                                                Map.of(
                                                                        "check_method",
                                                                        "pvr",
                                                                        "organization",
                                                                        "ACME",
                                                                        "check_id",
                                                                        "HR-2",
                                                                        "time",
                                                                        "2026-11-21T09:30:00Z")),
                                                        "time",
                                                        "2026-11-20T10:00:00Z",
                                                        "document_details",
                                                        Map.of(
                                                                "type",
                                                                "driving_permit",
                                                                "date_of_expiry",
                                                                "2029-02-01",
                                                                "issuer",
                                                                Map.of("country_code", "AUT"))))),
                        "claims", Map.of("given_name", "Ada", "family_name", "Lovelace")));
        assertThat(IdaSchema.errors(claims)).isEmpty();
    }

    @Test
    @DisplayName("a vendor's document check names the vendor as the checking organisation, with its reference")
    void vendorChecked() {
        Map<String, Object> claims = VerifiedClaims.build(
                "onboarding_guard",
                "case-3",
                "ACME",
                new VerifiedClaims.Approval(
                        VerificationStep.DOCUMENT,
                        VerificationMethod.VENDOR,
                        DOCUMENT_AT,
                        Map.of("documentType", "PASSPORT", "issuingCountry", "DE"),
                        "inq_42",
                        "acme-idv"),
                Optional.of(IDENTITY),
                "Ada",
                "Lovelace");
        assertThat(IdaSchema.errors(claims)).isEmpty();
        assertThat(claims.toString())
                .contains("check_method=vri, organization=acme-idv, check_id=inq_42")
                .contains("check_method=pvr, organization=ACME");
    }

    @Test
    @DisplayName("without the identity step the document's own check stands alone, and still conforms")
    void documentOnly() {
        Map<String, Object> claims = VerifiedClaims.build(
                "onboarding_guard",
                "case-2",
                "ACME",
                new VerifiedClaims.Approval(
                        VerificationStep.DOCUMENT,
                        VerificationMethod.VIDEO,
                        DOCUMENT_AT,
                        Map.of("documentType", "PASSPORT", "issuingCountry", "QZ"),
                        null,
                        null),
                Optional.empty(),
                "Ada",
                null);
        assertThat(IdaSchema.errors(claims)).isEmpty();
        assertThat(claims.toString())
                .contains("check_method=vri")
                .contains("country_code=QZ")
                .doesNotContain("check_id");
    }

    @Test
    @DisplayName("the schema refuses the evidence shape of the drafts (method, verifier.txn) and claims without a name")
    void schemaRefusesDraftShape() {
        Map<String, Object> draft = Map.of(
                "verification",
                        Map.of(
                                "trust_framework",
                                "onboarding_guard",
                                "evidence",
                                List.of(Map.of(
                                        "type",
                                        "document",
                                        "method",
                                        "sripp",
                                        "verifier",
                                        Map.of("organization", "ACME", "txn", "HR-1"),
                                        "document_details",
                                        Map.of("type", "passport")))),
                "claims", Map.of("given_name", "Ada"));
        assertThat(IdaSchema.errors(draft)).isNotEmpty();
        assertThat(IdaSchema.errors(Map.of("verification", Map.of("trust_framework", "x"), "claims", Map.of())))
                .isNotEmpty();
        assertThat(IdaSchema.errors(Map.of(
                        "verification",
                        Map.of("trust_framework", "x", "time", "2026-11-20T10:00:00.123Z"),
                        "claims",
                        Map.of("given_name", "Ada"))))
                .as("fractions of a second")
                .isNotEmpty();
    }
}
