package io.github.onboardingguard.enrollment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The onboarding policy's enrollment: the rules by which newly created users get a case
 * automatically, the paths an admin has decided never bring hires, and the user attribute that
 * names the sponsor. Without rules, users reach a case only through the onboarding API, as before.
 *
 * @param exempt           paths (with their source, or any) whose users are never hires, e.g. a partner
 *                         agency's identity provider: written as a rule without conditions
 * @param sponsorAttribute the attribute holding the sponsor's username or email (HR's {@code manager}); empty: none
 */
public record EnrollmentSettings(List<EnrollmentRule> rules, List<EnrollmentRule> exempt, String sponsorAttribute) {

    public static final String RULES = "enrollmentRules";
    public static final String EXEMPT = "enrollmentExempt";
    public static final String SPONSOR_ATTRIBUTE = "enrollmentSponsorAttribute";
    public static final String DEFAULT_SPONSOR_ATTRIBUTE = "manager";
    public static final int MAX_RULES = 50;

    private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    public EnrollmentSettings {
        rules = List.copyOf(rules);
        exempt = List.copyOf(exempt);
    }

    public static EnrollmentSettings defaults() {
        return new EnrollmentSettings(List.of(), List.of(), DEFAULT_SPONSOR_ATTRIBUTE);
    }

    /** The first rule a new user falls under, if any. */
    public Optional<EnrollmentRule> ruleFor(NewUser user) {
        return rules.stream().filter(rule -> rule.matches(user)).findFirst();
    }

    /** Whether some rule can enroll users of {@code path} from {@code source}. */
    public boolean hasRuleFor(ProvisioningPath path, String source) {
        return rules.stream().anyMatch(rule -> rule.covers(path, source));
    }

    /**
     * Whether the admin has decided about users of {@code path} from {@code source} (null: the path
     * as such): a rule can enroll them, or the path is exempt.
     */
    public boolean decides(ProvisioningPath path, String source) {
        return rules.stream().anyMatch(rule -> rule.covers(path, source))
                || exempt.stream().anyMatch(rule -> rule.covers(path, source));
    }

    public static EnrollmentSettings parse(Map<String, List<String>> settings, List<String> problems) {
        List<EnrollmentRule> rules = lines(settings, RULES, problems);
        List<EnrollmentRule> exempt = lines(settings, EXEMPT, problems);
        for (EnrollmentRule path : exempt) {
            if (!path.unconditional()) {
                problems.add(EXEMPT + ": '" + path.text() + "': a path and its source only, without conditions");
            }
        }
        List<String> sponsor = settings.get(SPONSOR_ATTRIBUTE);
        String attribute = sponsor == null || sponsor.isEmpty() || sponsor.get(0) == null
                ? DEFAULT_SPONSOR_ATTRIBUTE
                : sponsor.get(0).trim();
        if (!attribute.isEmpty() && !ATTRIBUTE.matcher(attribute).matches()) {
            problems.add(SPONSOR_ATTRIBUTE + ": a user attribute name (letters, digits, _ . -), or empty for none");
        }
        return new EnrollmentSettings(rules, exempt, attribute);
    }

    private static List<EnrollmentRule> lines(Map<String, List<String>> settings, String key, List<String> problems) {
        // The admin console stores a multivalued string as one value joined with "##"; files may use lines.
        List<String> lines = settings.getOrDefault(key, List.of()).stream()
                .filter(value -> value != null)
                .flatMap(value -> Arrays.stream(value.split("##|\\r?\\n")))
                .filter(line -> !line.isBlank())
                .toList();
        if (lines.size() > MAX_RULES) {
            problems.add(key + ": at most " + MAX_RULES + " lines");
            return List.of();
        }
        List<EnrollmentRule> parsed = new ArrayList<>();
        lines.forEach(line -> EnrollmentRule.parse(key, line, problems).ifPresent(parsed::add));
        return parsed;
    }
}
