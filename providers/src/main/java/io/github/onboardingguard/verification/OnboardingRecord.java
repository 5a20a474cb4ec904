package io.github.onboardingguard.verification;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The document facts recorded when a hire was verified, held against the document a person shows at
 * recovery: recovery by repeated proofing must confirm it is the same person (NIST SP 800-63-4). The
 * expiry date is not compared, so a renewed document of the same number still matches.
 */
public final class OnboardingRecord {

    /** The facts compared, in the order a mismatch names them. */
    public static final List<String> COMPARED = List.of(
            Checklist.GIVEN_NAME,
            Checklist.FAMILY_NAME,
            Checklist.DOCUMENT_TYPE,
            Checklist.ISSUING_COUNTRY,
            Checklist.NUMBER_LAST_CHARS);

    private OnboardingRecord() {}

    /**
     * The compared facts that differ. A fact the record does not hold (verified before it was kept, or
     * without the document step) is not compared; names compare without regard to case, accents written
     * as one or two characters, and repeated spaces.
     */
    public static List<String> mismatches(Map<String, Object> recorded, Map<String, Object> presented) {
        List<String> differing = new ArrayList<>();
        for (String fact : COMPARED) {
            Object before = recorded.get(fact);
            if (before == null) {
                continue;
            }
            Object now = presented.get(fact);
            if (now == null || !normalised(before).equals(normalised(now))) {
                differing.add(fact);
            }
        }
        return differing;
    }

    /** Whether the record names the person: without the names there is nothing to hold them against. */
    public static boolean holdsNames(Map<String, Object> recorded) {
        return recorded.get(Checklist.GIVEN_NAME) instanceof String given
                && !given.isBlank()
                && recorded.get(Checklist.FAMILY_NAME) instanceof String family
                && !family.isBlank();
    }

    private static String normalised(Object value) {
        return Normalizer.normalize(String.valueOf(value), Normalizer.Form.NFKC)
                .trim()
                .replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
    }
}
