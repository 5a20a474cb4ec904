package io.github.onboardingguard.risk;

import java.util.Set;
import java.util.regex.Pattern;

/** What a proxy's country header value means. */
public final class CountryCodes {

    private static final Pattern TWO_LETTERS = Pattern.compile("^[A-Z]{2}$");
    /** Two letters that name no country: Cloudflare's and MaxMind's "unknown", and MaxMind's continents. */
    private static final Set<String> NOT_COUNTRIES = Set.of("XX", "ZZ", "EU", "AP");

    private CountryCodes() {}

    /** An ISO 3166-1 alpha-2 country code (upper case); {@code T1} (Tor), {@code XX} and malformed values are not. */
    public static boolean isCountry(String value) {
        return value != null && TWO_LETTERS.matcher(value).matches() && !NOT_COUNTRIES.contains(value);
    }
}
