package io.github.onboardingguard.keycloak.pipeline;

import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.pipeline.PipelineWeeks;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The realm's onboarding pipeline at a glance: cases by stage now, time from creation to first
 * verification per week, deadlines of the coming days and signals per rule per week. A handful of
 * aggregate queries, each bounded by realm and by an indexed time range, so the answer stays quick
 * with many cases.
 */
public final class PipelineSummary {

    public static final int WEEKS = 12;
    public static final int DEADLINE_DAYS = 14;
    private static final long TENTH_OF_AN_HOUR = Duration.ofMinutes(6).toMillis();
    private static final List<Stage> PENDING = List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED);

    private final EntityManager em;
    private final RealmModel realm;

    public PipelineSummary(KeycloakSession session, RealmModel realm) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.realm = realm;
    }

    public Map<String, Object> view(Instant now) {
        List<Instant> weeks = PipelineWeeks.starts(now, WEEKS);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("realm", realm.getName());
        view.put("generatedAt", now.toString());
        view.put("stages", stages());
        view.put("timeToVerified", timeToVerified(weeks));
        view.put("deadlines", deadlines(now));
        view.put("signals", signals(weeks));
        return view;
    }

    private Map<String, Long> stages() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            counts.put(stage.name(), 0L);
        }
        for (Object[] row : em.createQuery(
                        "select c.stage, count(c) from OnboardingCaseEntity c where c.realmId = :realm group by c.stage",
                        Object[].class)
                .setParameter("realm", realm.getId())
                .getResultList()) {
            counts.put(((Stage) row[0]).name(), (Long) row[1]);
        }
        return counts;
    }

    /**
     * Durations counted by the database in buckets of a tenth of an hour per Monday-based week, so the
     * answer is a few hundred rows whatever the number of cases. The literals must stay literals: the
     * same expression in SELECT and GROUP BY.
     */
    private List<Map<String, Object>> timeToVerified(List<Instant> weeks) {
        List<java.util.SortedMap<Long, Long>> buckets = new ArrayList<>();
        weeks.forEach(week -> buckets.add(new TreeMap<>()));
        long firstWeek = PipelineWeeks.epochWeekOf(weeks.get(0).toEpochMilli());
        for (Object[] row : em.createQuery(
                        "select floor((c.firstVerifiedAt - 345600000) / 604800000.0),"
                                + " floor((c.firstVerifiedAt - c.createdAt) / 360000.0), count(c)"
                                + " from OnboardingCaseEntity c where c.realmId = :realm and c.firstVerifiedAt >= :since"
                                + " group by floor((c.firstVerifiedAt - 345600000) / 604800000.0),"
                                + " floor((c.firstVerifiedAt - c.createdAt) / 360000.0)",
                        Object[].class)
                .setParameter("realm", realm.getId())
                .setParameter("since", weeks.get(0).toEpochMilli())
                .getResultList()) {
            long week = ((Number) row[0]).longValue() - firstWeek;
            if (week >= 0 && week < weeks.size()) {
                buckets.get((int) week).merge(((Number) row[1]).longValue(), ((Number) row[2]).longValue(), Long::sum);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < weeks.size(); i++) {
            PipelineWeeks.Spread spread = PipelineWeeks.Spread.ofBuckets(buckets.get(i), TENTH_OF_AN_HOUR);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("week", LocalDate.ofInstant(weeks.get(i), ZoneOffset.UTC).toString());
            row.put("verified", spread.count());
            row.put("medianHours", spread.count() == 0 ? null : hours(spread.median()));
            row.put("p90Hours", spread.count() == 0 ? null : hours(spread.p90()));
            rows.add(row);
        }
        return rows;
    }

    private Map<String, Object> deadlines(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long until = today.plusDays(DEADLINE_DAYS)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        long overdue = 0;
        Map<LocalDate, Long> perDay = new TreeMap<>();
        for (int i = 0; i < DEADLINE_DAYS; i++) {
            perDay.put(today.plusDays(i), 0L);
        }
        for (Long deadline : em.createQuery(
                        "select c.deadline from OnboardingCaseEntity c where c.realmId = :realm"
                                + " and c.stage in :pending and c.deadline < :until",
                        Long.class)
                .setParameter("realm", realm.getId())
                .setParameter("pending", PENDING)
                .setParameter("until", until)
                .getResultList()) {
            if (deadline < now.toEpochMilli()) {
                overdue++;
            } else {
                perDay.merge(LocalDate.ofInstant(Instant.ofEpochMilli(deadline), ZoneOffset.UTC), 1L, Long::sum);
            }
        }
        List<Map<String, Object>> days = new ArrayList<>();
        perDay.forEach((day, count) -> days.add(Map.of("date", day.toString(), "count", count)));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("overdue", overdue);
        view.put("days", days);
        return view;
    }

    private Map<String, Object> signals(List<Instant> weeks) {
        TreeSet<String> rules = new TreeSet<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < weeks.size(); i++) {
            long from = weeks.get(i).toEpochMilli();
            Map<String, Long> counts = new TreeMap<>();
            for (Object[] row : em.createQuery(
                            "select s.rule, count(s) from RiskSignalEntity s where s.realmId = :realm"
                                    + " and s.at >= :from and s.at < :to group by s.rule",
                            Object[].class)
                    .setParameter("realm", realm.getId())
                    .setParameter("from", from)
                    .setParameter("to", from + PipelineWeeks.WEEK.toMillis())
                    .getResultList()) {
                counts.put((String) row[0], (Long) row[1]);
                rules.add((String) row[0]);
            }
            Map<String, Object> week = new LinkedHashMap<>();
            week.put("week", LocalDate.ofInstant(weeks.get(i), ZoneOffset.UTC).toString());
            week.put("counts", counts);
            rows.add(week);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("rules", List.copyOf(rules));
        view.put("weeks", rows);
        return view;
    }

    private static double hours(long millis) {
        return Math.round(millis / (double) Duration.ofHours(1).toMillis() * 10) / 10.0;
    }
}
