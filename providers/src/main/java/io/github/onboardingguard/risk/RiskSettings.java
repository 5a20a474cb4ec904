package io.github.onboardingguard.risk;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The risk part of a realm's onboarding policy. Rules are written one per line as
 * {@code rule=ACTION key=value ...}, e.g. {@code country_hop=SUSPEND window=PT6H}; a rule not
 * listed keeps its default.
 */
public record RiskSettings(
        Map<RiskRule, Rule> rules, int monitorVerifiedDays, String countryHeader, String securityEmail) {

    public static final String RULES = "riskRules";
    public static final String MONITOR_VERIFIED_DAYS = "riskMonitorVerifiedDays";
    public static final String COUNTRY_HEADER = "riskCountryHeader";
    public static final String SECURITY_EMAIL = "riskSecurityEmail";

    private static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9-]{1,64}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(30);

    /** One rule's action and parameters, validated. */
    public record Rule(RiskRule rule, RiskAction action, Map<String, String> parameters) {
        /** Parsed policies are shared between requests: nothing may change them. */
        public Rule {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        /** Repeats of a rule within this time after its signal are counted on that signal, not recorded anew. */
        public static final Duration DEFAULT_REPEAT_WINDOW = Duration.ofMinutes(10);

        public Duration window() {
            return Duration.parse(parameters.get("window"));
        }

        /** How long after a signal the rule's repeats for the same user are folded into it: its window, if it has one. */
        public Duration repeatWindow() {
            return parameters.containsKey("window") ? window() : DEFAULT_REPEAT_WINDOW;
        }

        public int count(String name) {
            return Integer.parseInt(parameters.get(name));
        }

        public Set<String> list(String name) {
            String value = parameters.getOrDefault(name, "");
            Set<String> items = new LinkedHashSet<>();
            for (String item : value.split("[|,]")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return items;
        }

        public boolean on() {
            return action != RiskAction.OFF;
        }

        /** A true/false parameter. */
        public boolean flag(String name) {
            return "true".equals(parameters.get(name));
        }

        String line() {
            StringBuilder line = new StringBuilder(rule.id()).append('=').append(action.name());
            parameters.forEach((key, value) -> {
                if (!value.isEmpty()) {
                    line.append(' ').append(key).append('=').append(value);
                }
            });
            return line.toString();
        }
    }

    public RiskSettings {
        rules = Map.copyOf(rules);
    }

    public Rule rule(RiskRule rule) {
        return rules.get(rule);
    }

    public static RiskSettings defaults() {
        return parse(Map.of(), new ArrayList<>());
    }

    public static RiskSettings parse(Map<String, List<String>> settings, List<String> problems) {
        Map<RiskRule, Rule> rules = new EnumMap<>(RiskRule.class);
        for (RiskRule rule : RiskRule.values()) {
            rules.put(rule, new Rule(rule, rule.defaultAction(), new LinkedHashMap<>(rule.defaultParameters())));
        }
        for (String line : lines(settings.get(RULES))) {
            parseLine(line, rules, problems);
        }
        int monitorDays = 30;
        String rawDays = first(settings, MONITOR_VERIFIED_DAYS);
        if (rawDays != null && !rawDays.isBlank()) {
            try {
                monitorDays = Integer.parseInt(rawDays.trim());
                if (monitorDays < 0 || monitorDays > 365) {
                    problems.add(MONITOR_VERIFIED_DAYS + " must be between 0 and 365 days, was " + monitorDays);
                }
            } catch (NumberFormatException e) {
                problems.add(MONITOR_VERIFIED_DAYS + " must be a whole number of days, was '" + rawDays + "'");
            }
        }
        String header = blankToEmpty(first(settings, COUNTRY_HEADER));
        if (!header.isEmpty() && !HEADER.matcher(header).matches()) {
            problems.add(COUNTRY_HEADER + " must be an HTTP header name such as CF-IPCountry, was '" + header + "'");
        }
        String email = blankToEmpty(first(settings, SECURITY_EMAIL));
        if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
            problems.add(SECURITY_EMAIL + " must be an email address, was '" + email + "'");
        }
        return new RiskSettings(rules, monitorDays, header, email);
    }

    public Map<String, List<String>> toSettings() {
        List<String> lines = new ArrayList<>();
        for (Rule rule : rules.values()) {
            lines.add(rule.line());
        }
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put(RULES, lines);
        settings.put(MONITOR_VERIFIED_DAYS, List.of(Integer.toString(monitorVerifiedDays)));
        settings.put(COUNTRY_HEADER, List.of(countryHeader));
        settings.put(SECURITY_EMAIL, List.of(securityEmail));
        return settings;
    }

    private static void parseLine(String line, Map<RiskRule, Rule> rules, List<String> problems) {
        String[] parts = line.trim().split("\\s+");
        String[] head = parts[0].split("=", 2);
        RiskRule rule = RiskRule.byId(head[0]).orElse(null);
        if (rule == null) {
            problems.add(RULES + ": unknown rule '" + head[0] + "'; rules: "
                    + Arrays.stream(RiskRule.values()).map(RiskRule::id).toList());
            return;
        }
        if (head.length < 2) {
            problems.add(RULES + ": '" + line.trim() + "' needs an action, e.g. " + rule.id() + "=ALERT");
            return;
        }
        RiskAction action;
        try {
            action = RiskAction.valueOf(head[1].trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(RULES + ": unknown action '" + head[1] + "' for " + rule.id() + "; actions: "
                    + Arrays.toString(RiskAction.values()));
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>(rule.defaultParameters());
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            if (pair.length < 2 || !rule.defaultParameters().containsKey(pair[0])) {
                problems.add(RULES + ": " + rule.id() + " has no parameter '" + pair[0] + "'"
                        + (rule.defaultParameters().isEmpty()
                                ? ""
                                : "; parameters: " + rule.defaultParameters().keySet()));
                continue;
            }
            String problem = checkParameter(pair[0], pair[1]);
            if (problem != null) {
                problems.add(RULES + ": " + rule.id() + " " + problem);
                continue;
            }
            parameters.put(pair[0], pair[1]);
        }
        if (rule == RiskRule.COUNTRY_NOT_ALLOWED
                && action != RiskAction.OFF
                && parameters.get("allowed").isBlank()) {
            problems.add(RULES + ": country_not_allowed needs allowed=DE|AT|... when switched on");
        }
        rules.put(rule, new Rule(rule, action, parameters));
    }

    private static String checkParameter(String name, String value) {
        switch (name) {
            case "window" -> {
                try {
                    Duration window = Duration.parse(value);
                    if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
                        return "window must be between 1 minute and 30 days, was " + value;
                    }
                } catch (DateTimeParseException e) {
                    return "window must be an ISO-8601 duration such as PT12H or P1D, was '" + value + "'";
                }
            }
            case "accounts", "failures" -> {
                try {
                    int count = Integer.parseInt(value);
                    if (count < 2 || count > 1000) {
                        return name + " must be between 2 and 1000, was " + count;
                    }
                } catch (NumberFormatException e) {
                    return name + " must be a whole number, was '" + value + "'";
                }
            }
            case "allowed" -> {
                for (String country : value.split("[|,]")) {
                    if (!country.isEmpty() && !COUNTRY.matcher(country).matches()) {
                        return "allowed must list ISO 3166-1 alpha-2 codes such as DE|AT, had '" + country + "'";
                    }
                }
            }
            case "network" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return "network must be true or false, was '" + value + "'";
                }
            }
            case "attributes" -> {
                for (String attribute : value.split("[|,]")) {
                    if (!attribute.isEmpty() && !ATTRIBUTE.matcher(attribute).matches()) {
                        return "attributes must list user-profile attribute names, had '" + attribute + "'";
                    }
                }
            }
            default -> {
                return "has no parameter '" + name + "'";
            }
        }
        return null;
    }

    private static List<String> lines(List<String> values) {
        List<String> lines = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String line : value.split("##|\\r?\\n")) {
                    if (!line.isBlank()) {
                        lines.add(line.trim());
                    }
                }
            }
        }
        return lines;
    }

    private static String first(Map<String, List<String>> settings, String key) {
        List<String> values = settings.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}
