package io.github.onboardingguard.verification;

import static io.github.onboardingguard.verification.VerifiedClaimsRequest.select;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A verified_claims request in the claims parameter")
class VerifiedClaimsRequestTest {

    private static final Map<String, Object> CLAIM = VerifiedClaims.build(
            "onboarding_guard",
            "case-1",
            "ACME",
            new VerifiedClaims.Approval(
                    VerificationStep.DOCUMENT,
                    VerificationMethod.VIDEO,
                    Instant.parse("2026-11-20T10:00:00Z"),
                    Map.of("documentType", "PASSPORT"),
                    "HR-1",
                    null),
            Optional.empty(),
            "Ada",
            "Lovelace");

    private static Map<String, Object> nulls(String... names) {
        Map<String, Object> map = new HashMap<>();
        Arrays.stream(names).forEach(name -> map.put(name, null));
        return map;
    }

    @Test
    @DisplayName("no request: the claim as configured")
    void noRequest() {
        assertThat(select(null, CLAIM)).contains(CLAIM);
    }

    @Test
    @DisplayName("only the claims asked for; none of them verified means no verified_claims")
    void onlyRequestedClaims() {
        assertThat(select(Map.of("claims", nulls("given_name")), CLAIM))
                .get()
                .extracting(claim -> claim.get("claims"))
                .isEqualTo(Map.of("given_name", "Ada"));
        assertThat(select(Map.of("claims", nulls("birthdate")), CLAIM)).isEmpty();
        assertThat(select(Map.of("verification", nulls("trust_framework")), CLAIM))
                .contains(CLAIM);
    }

    @Test
    @DisplayName("a trust framework other than the one verified under: no verified_claims")
    void trustFrameworkConstraint() {
        assertThat(select(Map.of("verification", Map.of("trust_framework", Map.of("value", "de_aml"))), CLAIM))
                .isEmpty();
        assertThat(select(
                        Map.of(
                                "verification",
                                Map.of("trust_framework", Map.of("values", List.of("de_aml", "onboarding_guard")))),
                        CLAIM))
                .isPresent();
    }

    @Test
    @DisplayName("alternatives: the first that can be met")
    void alternatives() {
        Object request = List.of(
                Map.of(
                        "verification",
                        Map.of("trust_framework", Map.of("value", "eidas")),
                        "claims",
                        nulls("given_name")),
                Map.of("claims", nulls("family_name")));
        assertThat(select(request, CLAIM))
                .get()
                .extracting(claim -> claim.get("claims"))
                .isEqualTo(Map.of("family_name", "Lovelace"));
        assertThat(select("not an object", CLAIM)).isEmpty();
    }
}
