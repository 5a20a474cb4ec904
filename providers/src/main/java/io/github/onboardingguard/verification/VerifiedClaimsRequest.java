package io.github.onboardingguard.verification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a relying party asked for in the {@code claims} request parameter's {@code verified_claims}
 * member (OpenID Connect for Identity Assurance): only the named claims, and nothing at all when
 * the requested trust framework is not the one verified under.
 */
public final class VerifiedClaimsRequest {

    private VerifiedClaimsRequest() {}

    /**
     * @param request the {@code verified_claims} member of the claims parameter for this token (an
     *                object, or an array of alternatives); {@code null} when the client did not ask,
     *                and everything is sent as the mapper is configured
     * @return the claim to send, or empty when the request cannot be met
     */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> select(Object request, Map<String, Object> verifiedClaims) {
        if (request == null) {
            return Optional.of(verifiedClaims);
        }
        if (request instanceof List<?> alternatives) {
            for (Object alternative : alternatives) {
                Optional<Map<String, Object>> met =
                        select(alternative == null ? Map.of() : alternative, verifiedClaims);
                if (met.isPresent()) {
                    return met;
                }
            }
            return Optional.empty();
        }
        if (!(request instanceof Map<?, ?> asked)) {
            return Optional.empty();
        }
        Map<String, Object> verification = (Map<String, Object>) verifiedClaims.get("verification");
        if (asked.get("verification") instanceof Map<?, ?> askedVerification
                && !allows(askedVerification.get("trust_framework"), verification.get("trust_framework"))) {
            return Optional.empty();
        }
        Map<String, Object> claims = (Map<String, Object>) verifiedClaims.get("claims");
        Map<String, Object> sent = new LinkedHashMap<>(claims);
        if (asked.get("claims") instanceof Map<?, ?> askedClaims) {
            sent.keySet().retainAll(askedClaims.keySet());
        }
        if (sent.isEmpty()) {
            // The schema requires at least one claim; none of those asked for is verified.
            return Optional.empty();
        }
        Map<String, Object> answer = new LinkedHashMap<>(verifiedClaims);
        answer.put("claims", sent);
        return Optional.of(answer);
    }

    /** {@code null} or {@code {}} asks for the element; {@code value} / {@code values} constrain it. */
    private static boolean allows(Object constraint, Object actual) {
        if (!(constraint instanceof Map<?, ?> asked)) {
            return true;
        }
        if (asked.containsKey("value")) {
            return String.valueOf(asked.get("value")).equals(actual);
        }
        if (asked.get("values") instanceof List<?> values) {
            return values.stream().anyMatch(value -> String.valueOf(value).equals(actual));
        }
        return true;
    }
}
