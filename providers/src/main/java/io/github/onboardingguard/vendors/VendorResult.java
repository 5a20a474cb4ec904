package io.github.onboardingguard.vendors;

import io.github.onboardingguard.verification.Checklist;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An identity-verification vendor's result in the vendor-neutral shape the callback accepts: the
 * case it is for, the overall status, the document (type and issuing country), the legal names read
 * from it, the vendor's reference, and the liveness and face-match outcomes.
 */
public record VendorResult(
        String caseId,
        Status status,
        String documentType,
        String issuingCountry,
        String numberLastChars,
        LocalDate expiryDate,
        String givenName,
        String familyName,
        String vendorReference,
        Check liveness,
        Check faceMatch,
        Instant checkedAt) {

    public enum Status {
        APPROVED,
        DECLINED,
        NEEDS_REVIEW
    }

    public enum Check {
        PASSED,
        FAILED,
        NOT_PERFORMED
    }

    private static final Set<String> FIELDS =
            Set.of("caseId", "status", "document", "names", "vendorReference", "liveness", "faceMatch", "checkedAt");
    private static final Set<String> DOCUMENT_FIELDS =
            Set.of("type", "issuingCountry", "numberLastChars", "expiryDate");
    private static final Pattern NUMBER_LAST_CHARS = Pattern.compile("[A-Z0-9]{2,8}");
    private static final Set<String> NAME_FIELDS = Set.of("givenName", "familyName");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final int MAX_TEXT = 255;

    /** Throws {@link IllegalArgumentException} whose message starts with the field, e.g. {@code names.givenName: ...}. */
    public static VendorResult parse(Map<String, Object> json) {
        unknown(json, FIELDS, "");
        String caseId = text(json, "caseId", "", true);
        Status status = choice(json, "status", "", Status.class, null);
        String reference = text(json, "vendorReference", "", true);
        Map<String, Object> document = object(json, "document");
        Map<String, Object> names = object(json, "names");
        unknown(document, DOCUMENT_FIELDS, "document.");
        unknown(names, NAME_FIELDS, "names.");
        boolean approved = status == Status.APPROVED;
        String type = text(document, "type", "document.", approved);
        if (type != null && !Checklist.DOCUMENT_TYPES.contains(type)) {
            throw new IllegalArgumentException("document.type: one of " + Checklist.DOCUMENT_TYPES);
        }
        String country = text(document, "issuingCountry", "document.", approved);
        if (country != null && !COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException("document.issuingCountry: an ISO 3166-1 alpha-2 code such as DE");
        }
        String numberLastChars = text(document, "numberLastChars", "document.", false);
        if (numberLastChars != null
                && !NUMBER_LAST_CHARS.matcher(numberLastChars).matches()) {
            throw new IllegalArgumentException(
                    "document.numberLastChars: the document number's last 2 to 8 letters or digits, upper case");
        }
        String expiryText = text(document, "expiryDate", "document.", false);
        LocalDate expiryDate = null;
        if (expiryText != null) {
            try {
                expiryDate = LocalDate.parse(expiryText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("document.expiryDate: a date such as 2031-05-31");
            }
        }
        String givenName = text(names, "givenName", "names.", approved);
        String familyName = text(names, "familyName", "names.", approved);
        Check liveness = choice(json, "liveness", "", Check.class, Check.NOT_PERFORMED);
        Check faceMatch = choice(json, "faceMatch", "", Check.class, Check.NOT_PERFORMED);
        String checkedAtText = text(json, "checkedAt", "", false);
        Instant checkedAt = null;
        if (checkedAtText != null) {
            try {
                checkedAt = Instant.parse(checkedAtText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("checkedAt: an ISO-8601 instant such as 2026-12-08T09:00:00Z");
            }
        }
        return new VendorResult(
                caseId,
                status,
                type,
                country,
                numberLastChars,
                expiryDate,
                givenName,
                familyName,
                reference,
                liveness,
                faceMatch,
                checkedAt);
    }

    /**
     * The vendor checked the document and found it genuine, with nothing that failed, and named the
     * facts a later recovery compares the document shown then with (number's last characters, expiry).
     */
    public boolean documentApproved() {
        return status == Status.APPROVED
                && liveness != Check.FAILED
                && faceMatch != Check.FAILED
                && numberLastChars != null
                && expiryDate != null;
    }

    /** The vendor also saw a live person who matches the document's photo. */
    public boolean personApproved() {
        return documentApproved() && liveness == Check.PASSED && faceMatch == Check.PASSED;
    }

    /** As a verification record's checklist, in the names a verifier's document checklist uses. */
    public Map<String, Object> checklist(String vendor) {
        Map<String, Object> checklist = new LinkedHashMap<>();
        checklist.put("vendor", vendor);
        checklist.put("status", status.name());
        putIfPresent(checklist, Checklist.GIVEN_NAME, givenName);
        putIfPresent(checklist, Checklist.FAMILY_NAME, familyName);
        putIfPresent(checklist, Checklist.DOCUMENT_TYPE, documentType);
        putIfPresent(checklist, Checklist.ISSUING_COUNTRY, issuingCountry);
        putIfPresent(checklist, Checklist.NUMBER_LAST_CHARS, numberLastChars);
        putIfPresent(checklist, Checklist.EXPIRY_DATE, expiryDate == null ? null : expiryDate.toString());
        checklist.put("liveness", liveness.name());
        checklist.put("faceMatch", faceMatch.name());
        putIfPresent(checklist, "checkedAt", checkedAt == null ? null : checkedAt.toString());
        return checklist;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void unknown(Map<String, Object> json, Set<String> allowed, String prefix) {
        for (String key : json.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(prefix + key + ": not a field of the result; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(name + ": a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String text(Map<String, Object> json, String name, String prefix, boolean required) {
        Object value = json.get(name);
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) {
                throw new IllegalArgumentException(prefix + name + ": required");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(prefix + name + ": a string");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException(prefix + name + ": at most " + MAX_TEXT + " characters");
        }
        return text.strip();
    }

    private static <E extends Enum<E>> E choice(
            Map<String, Object> json, String name, String prefix, Class<E> type, E fallback) {
        String value = text(json, name, prefix, fallback == null);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + name + ": one of " + List.of(type.getEnumConstants()));
        }
    }
}
