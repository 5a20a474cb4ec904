package io.github.onboardingguard.pipeline;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pipeline's calendar and figures: weeks start on Monday, 00:00 UTC (one zone for every reader,
 * as the console's times), and the time to verification per week is told by its median and 90th
 * percentile (nearest rank: a value some hire really took).
 */
public final class PipelineWeeks {

    public static final Duration WEEK = Duration.ofDays(7);

    private PipelineWeeks() {}

    /** The Monday starting the week {@code now} is in, and the {@code count - 1} weeks before, oldest first. */
    public static List<Instant> starts(Instant now, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one week");
        }
        LocalDate monday = LocalDate.ofInstant(now, ZoneOffset.UTC).with(DayOfWeek.MONDAY);
        List<Instant> starts = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            starts.add(monday.minusWeeks(i).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        return starts;
    }

    /** Weeks since the Monday 1970-01-05 00:00 UTC, the database's bucket of a moment (see {@link #epochWeekOf}). */
    public static final long FIRST_MONDAY_MILLIS = Duration.ofDays(4).toMillis();

    /** The Monday-based week number of a moment, as the database computes it for grouping. */
    public static long epochWeekOf(long epochMillis) {
        return Math.floorDiv(epochMillis - FIRST_MONDAY_MILLIS, WEEK.toMillis());
    }

    /** How many, the median and the 90th percentile of some durations in milliseconds; zeros when none. */
    public record Spread(int count, long median, long p90) {

        public static Spread of(long[] millis) {
            if (millis.length == 0) {
                return new Spread(0, 0, 0);
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Spread(sorted.length, rank(sorted, 50), rank(sorted, 90));
        }

        /**
         * The same from durations counted in buckets ({@code bucket} → how many), each bucket standing for
         * {@code bucketMillis} times its number: what a database's GROUP BY gives without sending every row.
         */
        public static Spread ofBuckets(java.util.SortedMap<Long, Long> counts, long bucketMillis) {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                return new Spread(0, 0, 0);
            }
            return new Spread(
                    Math.toIntExact(total),
                    bucketAtRank(counts, rankOf(50, total)) * bucketMillis,
                    bucketAtRank(counts, rankOf(90, total)) * bucketMillis);
        }

        private static long rankOf(int percent, long total) {
            return Math.max(1, (long) Math.ceil(percent / 100.0 * total));
        }

        private static long bucketAtRank(java.util.SortedMap<Long, Long> counts, long rank) {
            long seen = 0;
            for (java.util.Map.Entry<Long, Long> bucket : counts.entrySet()) {
                seen += bucket.getValue();
                if (seen >= rank) {
                    return bucket.getKey();
                }
            }
            return counts.lastKey();
        }

        private static long rank(long[] sorted, int percent) {
            int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }
}
