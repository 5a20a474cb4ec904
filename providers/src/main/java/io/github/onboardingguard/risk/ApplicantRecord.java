package io.github.onboardingguard.risk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The person who applied and interviewed, as the hiring system recorded them: name, email, phone
 * and the reference of a pre-hire identity check. The person who verifies and then works must be
 * the same one, so the ceremony's legal names and later contact details are compared with it.
 */
public record ApplicantRecord(String name, String email, String phone, String reference) {

    public static final List<String> FIELDS = List.of("name", "email", "phone", "reference");
    public static final int MAX_FIELD = 255;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    /** Phones are compared by their last digits, so "+1 555 010 0199" and "(555) 010-0199" are one number. */
    private static final int PHONE_DIGITS_COMPARED = 9;

    /** Throws {@link IllegalArgumentException} naming the field on bad input; at least a name or an email. */
    public static ApplicantRecord of(Map<String, String> fields) {
        for (String field : fields.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(field + ": not a field of an applicant record (" + FIELDS + ")");
            }
            String value = fields.get(field);
            if (value != null && value.length() > MAX_FIELD) {
                throw new IllegalArgumentException(field + ": at most " + MAX_FIELD + " characters");
            }
        }
        String name = trimmed(fields.get("name"));
        String email = trimmed(fields.get("email"));
        String phone = trimmed(fields.get("phone"));
        if (name == null && email == null) {
            throw new IllegalArgumentException("name: the applicant's name or email is required");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("email: not an email address");
        }
        if (phone != null && digits(phone).length() < 6) {
            throw new IllegalArgumentException("phone: not a phone number");
        }
        return new ApplicantRecord(name, email, phone, trimmed(fields.get("reference")));
    }

    /**
     * Whether the document's names can be the applicant's: every word of the applied name appears in
     * the legal names (a middle name the applicant left out is fine; another surname is not). Letter
     * case and accents aside. True when the record has no name.
     */
    public boolean nameMatches(String givenName, String familyName) {
        if (name == null) {
            return true;
        }
        List<String> legal = ShippingAddress.words(
                (givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName));
        return legal.containsAll(ShippingAddress.words(name));
    }

    /** True when the record has no email, or the address is the same one (letter case aside). */
    public boolean emailMatches(String current) {
        return email == null || (current != null && email.equalsIgnoreCase(current.strip()));
    }

    /** True when the record has no phone, or the number ends in the same digits. */
    public boolean phoneMatches(String current) {
        if (phone == null) {
            return true;
        }
        String recorded = digits(phone);
        String now = current == null ? "" : digits(current);
        int compared = Math.min(PHONE_DIGITS_COMPARED, Math.min(recorded.length(), now.length()));
        return compared >= 6 && recorded.endsWith(now.substring(now.length() - compared));
    }

    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (name != null) {
            fields.put("name", name);
        }
        if (email != null) {
            fields.put("email", email);
        }
        if (phone != null) {
            fields.put("phone", phone);
        }
        if (reference != null) {
            fields.put("reference", reference);
        }
        return fields;
    }

    private static String digits(String text) {
        return text.replaceAll("\\D", "");
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
