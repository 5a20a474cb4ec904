package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.audit.CanonicalJson;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.JsonBody;
import io.github.onboardingguard.keycloak.support.StoredJson;
import io.github.onboardingguard.risk.ApplicantRecord;
import io.github.onboardingguard.risk.ShippingAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the hiring system knows of a hire, kept on the case: the applicant record and the equipment
 * shipping address. Read from the admin API's JSON, stored as canonical JSON.
 */
public final class HiringRecords {

    public static final String APPLICANT = "applicant";
    public static final String SHIPPING_ADDRESS = "shippingAddress";

    private HiringRecords() {}

    /** The applicant record in {@code json}'s field, empty when the field is absent; 400 on bad input. */
    public static Optional<ApplicantRecord> applicantIn(JsonBody json) {
        if (!json.has(APPLICANT)) {
            return Optional.empty();
        }
        Map<String, String> fields = strings(json, APPLICANT, ApplicantRecord.FIELDS, ApplicantRecord.MAX_FIELD);
        try {
            return Optional.of(ApplicantRecord.of(fields));
        } catch (IllegalArgumentException e) {
            throw invalid(APPLICANT, e);
        }
    }

    /** The shipping address in {@code json}'s field, empty when the field is absent; 400 on bad input. */
    public static Optional<ShippingAddress> shippingAddressIn(JsonBody json) {
        if (!json.has(SHIPPING_ADDRESS)) {
            return Optional.empty();
        }
        Map<String, String> fields = strings(json, SHIPPING_ADDRESS, ShippingAddress.FIELDS, ShippingAddress.MAX_FIELD);
        try {
            return Optional.of(ShippingAddress.of(fields));
        } catch (IllegalArgumentException e) {
            throw invalid(SHIPPING_ADDRESS, e);
        }
    }

    public static Optional<ApplicantRecord> applicantOf(OnboardingCaseEntity onboardingCase) {
        Map<String, String> fields = storedStrings(onboardingCase.getApplicant());
        return fields.isEmpty() ? Optional.empty() : Optional.of(ApplicantRecord.of(fields));
    }

    public static Optional<ShippingAddress> shippingAddressOf(OnboardingCaseEntity onboardingCase) {
        Map<String, String> fields = storedStrings(onboardingCase.getShippingAddress());
        return fields.isEmpty() ? Optional.empty() : Optional.of(ShippingAddress.of(fields));
    }

    public static void record(OnboardingCaseEntity onboardingCase, ApplicantRecord applicant) {
        onboardingCase.setApplicant(CanonicalJson.write(applicant.fields()));
    }

    public static void record(OnboardingCaseEntity onboardingCase, ShippingAddress address) {
        onboardingCase.setShippingAddress(CanonicalJson.write(address.fields()));
        onboardingCase.setShippingKey(address.key());
    }

    /** Both records as the case views show them (null where none was given). */
    public static void putInto(Map<String, Object> view, OnboardingCaseEntity onboardingCase) {
        view.put(
                APPLICANT,
                applicantOf(onboardingCase).map(ApplicantRecord::fields).orElse(null));
        view.put(
                SHIPPING_ADDRESS,
                shippingAddressOf(onboardingCase)
                        .map(HiringRecords::shippingView)
                        .orElse(null));
    }

    private static Map<String, Object> shippingView(ShippingAddress address) {
        Map<String, Object> view = new LinkedHashMap<>(address.fields());
        // As compared with other cases' addresses, so an admin sees why two spellings matched.
        view.put("building", address.building());
        return view;
    }

    private static Map<String, String> strings(JsonBody json, String name, List<String> fields, int max) {
        JsonBody object = json.object(name, Set.copyOf(fields));
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fields) {
            String value = object.optionalString(field, max);
            if (value != null && !value.isEmpty()) {
                values.put(field, value);
            }
        }
        return values;
    }

    private static Map<String, String> storedStrings(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        StoredJson.object(json).forEach((key, value) -> {
            if (value instanceof String text) {
                fields.put(key, text);
            }
        });
        return fields;
    }

    private static RuntimeException invalid(String object, IllegalArgumentException e) {
        String message = e.getMessage();
        int colon = message.indexOf(':');
        String field = colon > 0 ? object + "." + message.substring(0, colon) : object;
        return ApiError.badRequest(field, "'" + field + "'" + (colon > 0 ? message.substring(colon) : ": " + message));
    }
}
