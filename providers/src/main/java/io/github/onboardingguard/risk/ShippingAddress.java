package io.github.onboardingguard.risk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a hire's equipment is shipped. Laptop farms receive many hires' laptops at one house, typed
 * a little differently each time, so the address is compared by its building: country, postal code
 * (or the city where there is none) and street line, with letter case, accents, punctuation, common
 * street-word abbreviations and flat or suite numbers taken out. Two flats of one building therefore
 * count as one address: a farm that adds "Apt 2" still matches.
 */
public record ShippingAddress(
        String line1, String line2, String city, String region, String postalCode, String country) {

    public static final List<String> FIELDS = List.of("line1", "line2", "city", "region", "postalCode", "country");

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern FORMAT_CHARACTERS = Pattern.compile("\\p{Cf}+");
    /** A flat number written before the house number with a slash, as in "2/12 Main St". */
    private static final Pattern UNIT_BEFORE_NUMBER = Pattern.compile("^\\s*\\w{1,4}\\s*/\\s*(?=\\d)");
    /** The longest word after "apt", "suite" ... taken as the unit's name. */
    private static final int MAX_UNIT_NAME = 5;
    /** Street words that follow the name and may be written apart from it. */
    private static final Set<String> STREET_SUFFIXES = Set.of("str", "weg");
    /** Words that start a flat, suite or floor designation: the word and the number after it are dropped. */
    private static final Set<String> UNIT_WORDS = Set.of(
            "apt",
            "apartment",
            "appt",
            "unit",
            "suite",
            "ste",
            "flat",
            "room",
            "rm",
            "floor",
            "fl",
            "whg",
            "wohnung",
            "etage",
            "og",
            "stock",
            "bldg",
            "building");

    private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("street", "st"),
            Map.entry("avenue", "ave"),
            Map.entry("av", "ave"),
            Map.entry("road", "rd"),
            Map.entry("boulevard", "blvd"),
            Map.entry("drive", "dr"),
            Map.entry("lane", "ln"),
            Map.entry("court", "ct"),
            Map.entry("place", "pl"),
            Map.entry("square", "sq"),
            Map.entry("highway", "hwy"),
            Map.entry("parkway", "pkwy"),
            Map.entry("terrace", "ter"),
            Map.entry("north", "n"),
            Map.entry("south", "s"),
            Map.entry("east", "e"),
            Map.entry("west", "w"),
            Map.entry("strasse", "str"));

    /** Each field at most this long. */
    public static final int MAX_FIELD = 200;

    /**
     * From the API's object: {@code line1} and {@code country} (ISO 3166-1 alpha-2) required, the rest
     * optional; throws {@link IllegalArgumentException} naming the field on bad input.
     */
    public static ShippingAddress of(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(name + ": not a field of a shipping address (" + FIELDS + ")");
            }
            String value = fields.get(name);
            if (value != null && value.length() > MAX_FIELD) {
                throw new IllegalArgumentException(name + ": at most " + MAX_FIELD + " characters");
            }
        }
        String line1 = trimmed(fields.get("line1"));
        if (line1 == null || words(line1).isEmpty()) {
            throw new IllegalArgumentException("line1: the street and number are required");
        }
        String country = trimmed(fields.get("country"));
        if (country == null
                || !COUNTRY.matcher(country.toUpperCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("country: an ISO 3166-1 alpha-2 code such as DE or US is required");
        }
        String postalCode = trimmed(fields.get("postalCode"));
        String city = trimmed(fields.get("city"));
        if (postalCode == null && city == null) {
            throw new IllegalArgumentException("postalCode: a postal code or a city is required");
        }
        return new ShippingAddress(
                line1,
                trimmed(fields.get("line2")),
                city,
                trimmed(fields.get("region")),
                postalCode,
                country.toUpperCase(Locale.ROOT));
    }

    /** The building this address names, as compared: e.g. {@code US|10001|12 main st}. */
    public String building() {
        String place = postalCode != null ? postal(country, postalCode) : String.join(" ", words(city));
        return country + "|" + place + "|" + String.join(" ", streetWords(line1));
    }

    /** A fixed-length key of {@link #building()}, stored and indexed to find other cases at the same building. */
    public String key() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(building().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The fields as given, absent ones left out. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        putIfPresent(fields, "line1", line1);
        putIfPresent(fields, "line2", line2);
        putIfPresent(fields, "city", city);
        putIfPresent(fields, "region", region);
        putIfPresent(fields, "postalCode", postalCode);
        putIfPresent(fields, "country", country);
        return fields;
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** The postal code as compared: letters and digits; a US ZIP+4 as its five digits. */
    private static String postal(String country, String postalCode) {
        String code = String.join("", words(postalCode)).toUpperCase(Locale.ROOT);
        return "US".equals(country) && code.length() == 9 && code.chars().allMatch(Character::isDigit)
                ? code.substring(0, 5)
                : code;
    }

    private static List<String> streetWords(String line) {
        // "2/12 Main St" is flat 2 of number 12.
        String withoutFlat = UNIT_BEFORE_NUMBER.matcher(line).replaceAll("");
        List<String> kept = new ArrayList<>();
        List<String> words = words(withoutFlat.replace("#", " apt "));
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (UNIT_WORDS.contains(word)) {
                // "apt 4", "suite 200b", "apt b": the designation and what names the unit.
                if (i + 1 < words.size() && words.get(i + 1).length() <= MAX_UNIT_NAME) {
                    i++;
                }
                continue;
            }
            if (gluedUnit(word)) {
                // "apt2b", "ste200".
                continue;
            }
            String abbreviated = abbreviated(word);
            if (STREET_SUFFIXES.contains(abbreviated) && !kept.isEmpty() && !isNumber(kept.get(kept.size() - 1))) {
                // "Haupt Str." and "Hauptstraße" are one street.
                kept.set(kept.size() - 1, kept.get(kept.size() - 1) + abbreviated);
                continue;
            }
            kept.add(abbreviated);
        }
        return kept;
    }

    private static boolean gluedUnit(String word) {
        for (String unit : UNIT_WORDS) {
            if (word.length() > unit.length()
                    && word.startsWith(unit)
                    && Character.isDigit(word.charAt(unit.length()))
                    && unit.length() >= 2) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String word) {
        return !word.isEmpty() && Character.isDigit(word.charAt(0));
    }

    private static String abbreviated(String word) {
        String known = ABBREVIATIONS.get(word);
        if (known != null) {
            return known;
        }
        // German compounds: "Hauptstrasse" and "Hauptstr" are one street.
        if (word.length() > 7 && word.endsWith("strasse")) {
            return word.substring(0, word.length() - "strasse".length()) + "str";
        }
        return word;
    }

    /**
     * Lower-case words without accents or punctuation; "ß" as "ss"; full-width and other compatibility
     * forms as their plain letters; invisible format characters (zero-width spaces, soft hyphens) gone.
     */
    static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        String visible = FORMAT_CHARACTERS
                .matcher(Normalizer.normalize(text, Normalizer.Form.NFKC))
                .replaceAll("");
        String folded = Normalizer.normalize(visible.toLowerCase(Locale.ROOT).replace("ß", "ss"), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
        List<String> words = new ArrayList<>();
        for (String word : NON_WORD.split(folded)) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
