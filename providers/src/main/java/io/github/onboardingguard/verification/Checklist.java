package io.github.onboardingguard.verification;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the verifier checked during a ceremony. Free text is limited to notes; everything else is
 * a closed value, so the record can be compared across verifiers and never holds an image.
 */
public record Checklist(VerificationStep step, Map<String, Object> items) {

    public static final String DOCUMENT_TYPE = "documentType";
    public static final String ISSUING_COUNTRY = "issuingCountry";
    public static final String EXPIRY_DATE = "expiryDate";
    public static final String NUMBER_LAST_CHARS = "numberLastChars";
    public static final String DOCUMENT_GENUINE = "documentGenuine";
    public static final String PHOTO_MATCHES = "photoMatches";
    public static final String FACE_MATCHES_DOCUMENT = "faceMatchesDocument";
    public static final String NAME_MATCHES_HR_RECORD = "nameMatchesHrRecord";
    public static final String LIVE_CAMERA = "liveCamera";
    public static final String NOTES = "notes";
    /** The legal names as printed on the document: what {@code verified_claims} attests. */
    public static final String GIVEN_NAME = "givenName";

    public static final String FAMILY_NAME = "familyName";
    public static final int MAX_NAME = 100;

    /** What the verifier reads off the document, in the order the console asks for it. */
    public static final List<String> DOCUMENT_FACTS =
            List.of(GIVEN_NAME, FAMILY_NAME, DOCUMENT_TYPE, ISSUING_COUNTRY, EXPIRY_DATE, NUMBER_LAST_CHARS);

    public static final List<String> DOCUMENT_TYPES =
            List.of("PASSPORT", "ID_CARD", "DRIVING_LICENCE", "RESIDENCE_PERMIT");
    public static final int MAX_NOTES = 1000;

    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final Pattern LAST_CHARS = Pattern.compile("^[A-Za-z0-9]{1,4}$");

    public Checklist {
        items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
    }

    /** The yes/no checks a step needs; every one must be true to approve. */
    public static List<String> checks(VerificationStep step, VerificationMethod method) {
        if (step == VerificationStep.DOCUMENT) {
            return List.of(DOCUMENT_GENUINE, PHOTO_MATCHES);
        }
        if (step == VerificationStep.HELPDESK) {
            // The code (or the bound passkey) is the whole check: nobody is seen.
            return List.of();
        }
        if (step == VerificationStep.RECOVERY) {
            // Whether the names match is not the verifier's judgement here: the server holds them against the record.
            return method == VerificationMethod.VIDEO
                    ? List.of(FACE_MATCHES_DOCUMENT, LIVE_CAMERA)
                    : List.of(FACE_MATCHES_DOCUMENT);
        }
        return method == VerificationMethod.VIDEO
                ? List.of(FACE_MATCHES_DOCUMENT, NAME_MATCHES_HR_RECORD, LIVE_CAMERA)
                : List.of(FACE_MATCHES_DOCUMENT, NAME_MATCHES_HR_RECORD);
    }

    /**
     * Validates raw JSON values. An approval needs every item, every check true and an unexpired
     * document; a rejection records whatever the verifier filled in.
     */
    public static Checklist parse(
            VerificationStep step,
            VerificationMethod method,
            Outcome outcome,
            Map<String, Object> raw,
            LocalDate today) {
        List<String> checks = checks(step, method);
        List<String> facts = step.recordsDocumentFacts() ? DOCUMENT_FACTS : List.of();
        Set<String> known = new java.util.HashSet<>(checks);
        known.addAll(facts);
        known.add(NOTES);
        for (String key : raw.keySet()) {
            if (!known.contains(key)) {
                throw new ChecklistException(
                        key,
                        "'" + key + "' is not an item of the " + step + " checklist"
                                + (step == VerificationStep.IDENTITY && key.equals(LIVE_CAMERA)
                                        ? " for an in-person check"
                                        : "")
                                + "; items: " + known.stream().sorted().toList());
            }
        }
        boolean approving = outcome == Outcome.APPROVE;
        Map<String, Object> items = new LinkedHashMap<>();
        for (String fact : facts) {
            Object value = raw.get(fact);
            if (value == null) {
                if (approving) {
                    throw new ChecklistException(fact, "'" + fact + "' is required to approve");
                }
                continue;
            }
            items.put(fact, fact(fact, value, approving, today));
        }
        for (String check : checks) {
            Object value = raw.get(check);
            if (value == null) {
                if (approving) {
                    throw new ChecklistException(check, "'" + check + "' is required to approve");
                }
                continue;
            }
            if (!(value instanceof Boolean passed)) {
                throw new ChecklistException(check, "'" + check + "' must be true or false");
            }
            if (approving && !passed) {
                throw new ChecklistException(
                        check, "'" + check + "' failed; a ceremony with a failed check cannot be approved");
            }
            items.put(check, passed);
        }
        Object notes = raw.get(NOTES);
        if (notes != null) {
            if (!(notes instanceof String text)
                    || text.length() > MAX_NOTES
                    || text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
                throw new ChecklistException(
                        NOTES,
                        "'notes' must be text of at most " + MAX_NOTES
                                + " characters, without control characters other than line breaks and tabs");
            }
            if (!text.isBlank()) {
                items.put(NOTES, text.trim());
            }
        }
        return new Checklist(step, items);
    }

    private static Object fact(String name, Object value, boolean approving, LocalDate today) {
        if (!(value instanceof String text)) {
            throw new ChecklistException(name, "'" + name + "' must be a string");
        }
        String trimmed = text.trim();
        switch (name) {
            case DOCUMENT_TYPE -> {
                if (!DOCUMENT_TYPES.contains(trimmed)) {
                    throw new ChecklistException(name, "'" + name + "' must be one of " + DOCUMENT_TYPES);
                }
            }
            case ISSUING_COUNTRY -> {
                if (!COUNTRY.matcher(trimmed).matches()) {
                    throw new ChecklistException(name, "'" + name + "' must be an ISO 3166-1 alpha-2 code such as DE");
                }
            }
            case EXPIRY_DATE -> {
                LocalDate expiry;
                try {
                    expiry = LocalDate.parse(trimmed);
                } catch (DateTimeParseException e) {
                    throw new ChecklistException(name, "'" + name + "' must be a date such as 2031-05-31");
                }
                if (approving && !expiry.isAfter(today)) {
                    throw new ChecklistException(
                            name, "The document expired on " + expiry + "; an expired document cannot be approved");
                }
            }
            case GIVEN_NAME, FAMILY_NAME -> {
                if (trimmed.isEmpty()
                        || trimmed.length() > MAX_NAME
                        || trimmed.codePoints().anyMatch(Character::isISOControl)) {
                    throw new ChecklistException(
                            name,
                            "'" + name + "' must be the name as printed on the document, 1 to " + MAX_NAME
                                    + " characters without control characters");
                }
            }
            case NUMBER_LAST_CHARS -> {
                if (!LAST_CHARS.matcher(trimmed).matches()) {
                    throw new ChecklistException(
                            name,
                            "'" + name
                                    + "' holds at most the last 4 letters or digits of the document number, never all of it");
                }
            }
            default -> throw new IllegalStateException(name);
        }
        return trimmed;
    }
}
