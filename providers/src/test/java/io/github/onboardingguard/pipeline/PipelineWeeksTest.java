package io.github.onboardingguard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineWeeksTest {

    @Test
    void weeksStartOnMondayInUtcOldestFirst() {
        // Monday 2026-12-07 00:30 UTC belongs to the week starting that day.
        List<Instant> starts = PipelineWeeks.starts(Instant.parse("2026-12-07T00:30:00Z"), 3);
        assertEquals(
                List.of(
                        Instant.parse("2026-11-23T00:00:00Z"),
                        Instant.parse("2026-11-30T00:00:00Z"),
                        Instant.parse("2026-12-07T00:00:00Z")),
                starts);
        // A Sunday late evening is still the week before.
        assertEquals(
                Instant.parse("2026-11-30T00:00:00Z"),
                PipelineWeeks.starts(Instant.parse("2026-12-06T23:59:59Z"), 1).get(0));
        assertThrows(IllegalArgumentException.class, () -> PipelineWeeks.starts(Instant.now(), 0));
    }

    @Test
    void spreadIsNearestRank() {
        assertEquals(new PipelineWeeks.Spread(0, 0, 0), PipelineWeeks.Spread.of(new long[0]));
        assertEquals(new PipelineWeeks.Spread(1, 7, 7), PipelineWeeks.Spread.of(new long[] {7}));
        long[] tenValues = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
        // Median by nearest rank of 10 values is the 5th, the 90th percentile the 9th.
        assertEquals(new PipelineWeeks.Spread(10, 5, 9), PipelineWeeks.Spread.of(tenValues));
        assertEquals(10, tenValues[0], "the input is not sorted in place");
        assertEquals(new PipelineWeeks.Spread(3, 2, 3), PipelineWeeks.Spread.of(new long[] {3, 1, 2}));
    }

    @Test
    void databaseWeeksAreMondayWeeks() {
        long monday = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();
        assertEquals(
                PipelineWeeks.epochWeekOf(monday), PipelineWeeks.epochWeekOf(monday + 6 * 86_400_000L + 86_399_999L));
        assertEquals(PipelineWeeks.epochWeekOf(monday) - 1, PipelineWeeks.epochWeekOf(monday - 1));
        assertEquals(
                0,
                PipelineWeeks.epochWeekOf(Instant.parse("1970-01-05T00:00:00Z").toEpochMilli()));
    }

    @Test
    void bucketedSpreadMatchesTheRowByRowOne() {
        java.util.SortedMap<Long, Long> counts = new java.util.TreeMap<>();
        long[] values = new long[10];
        for (int i = 0; i < 10; i++) {
            values[i] = (i + 1) * 100L;
            counts.merge((long) (i + 1), 1L, Long::sum);
        }
        assertEquals(PipelineWeeks.Spread.of(values), PipelineWeeks.Spread.ofBuckets(counts, 100));
        java.util.SortedMap<Long, Long> uneven = new java.util.TreeMap<>(java.util.Map.of(1L, 8L, 5L, 1L, 9L, 1L));
        assertEquals(new PipelineWeeks.Spread(10, 10, 50), PipelineWeeks.Spread.ofBuckets(uneven, 10));
        assertEquals(new PipelineWeeks.Spread(0, 0, 0), PipelineWeeks.Spread.ofBuckets(new java.util.TreeMap<>(), 10));
    }
}
