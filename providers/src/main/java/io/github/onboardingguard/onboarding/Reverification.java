package io.github.onboardingguard.onboarding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often a verified hire is verified again: a realm-wide number of days, and optionally a
 * number for members of a group (and its subgroups). The smallest cadence that applies wins, so a
 * privileged group can be checked more often than everyone else; 0 means never.
 */
public record Reverification(int everyDays, Map<String, Integer> groupDays) {

    public static final String EVERY_DAYS = "reverifyEveryDays";
    public static final String GROUPS = "reverifyGroups";
    public static final int MAX_DAYS = 3650;

    public Reverification {
        groupDays = Map.copyOf(groupDays);
    }

    public static Reverification none() {
        return new Reverification(0, Map.of());
    }

    /** Whether any account of the realm is ever verified again. */
    public boolean enabled() {
        return everyDays > 0 || !groupDays.isEmpty();
    }

    /** Days between verifications for a member of these groups (paths such as {@code /engineering}); 0: never. */
    public int daysFor(Collection<String> groupPaths) {
        int days = everyDays;
        for (Map.Entry<String, Integer> entry : groupDays.entrySet()) {
            boolean member = groupPaths.stream()
                    .anyMatch(path -> path.equals(entry.getKey()) || path.startsWith(entry.getKey() + "/"));
            if (member && (days == 0 || entry.getValue() < days)) {
                days = entry.getValue();
            }
        }
        return days;
    }

    static Reverification parse(Map<String, List<String>> settings, List<String> problems) {
        int every = 0;
        List<String> everyValues = settings.getOrDefault(EVERY_DAYS, List.of());
        String raw = everyValues.isEmpty() ? "" : everyValues.get(0).trim();
        if (!raw.isEmpty()) {
            every = days(EVERY_DAYS, raw, 0, problems);
        }
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (String value : settings.getOrDefault(GROUPS, List.of())) {
            for (String line : value.split("##")) {
                if (line.isBlank()) {
                    continue;
                }
                int equals = line.lastIndexOf('=');
                String path = equals < 0 ? "" : line.substring(0, equals).trim();
                if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
                    problems.add(
                            GROUPS + " entry '" + line.trim() + "' must be a group path and days, e.g. /admins=90");
                    continue;
                }
                groups.put(
                        path,
                        days(
                                GROUPS + " entry '" + line.trim() + "'",
                                line.substring(equals + 1).trim(),
                                1,
                                problems));
            }
        }
        return new Reverification(every, groups);
    }

    private static int days(String what, String raw, int min, List<String> problems) {
        try {
            int days = Integer.parseInt(raw);
            if (days >= min && days <= MAX_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(what + " must be a number of days from " + min + " to " + MAX_DAYS + ", was '" + raw + "'");
        return 0;
    }

    Map<String, List<String>> toSettings() {
        List<String> lines = new ArrayList<>();
        groupDays.forEach((path, days) -> lines.add(path + "=" + days));
        return Map.of(EVERY_DAYS, List.of(Integer.toString(everyDays)), GROUPS, lines);
    }
}
