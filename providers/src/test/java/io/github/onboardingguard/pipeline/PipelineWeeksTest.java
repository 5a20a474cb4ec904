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
    void momentsFallInTheirWeek() {
        Instant first = Instant.parse("2026-11-23T00:00:00Z");
        assertEquals(-1, PipelineWeeks.index(first.toEpochMilli() - 1, first));
        assertEquals(0, PipelineWeeks.index(first.toEpochMilli(), first));
        assertEquals(
                1, PipelineWeeks.index(Instant.parse("2026-11-30T00:00:00Z").toEpochMilli(), first));
        assertEquals(
                1, PipelineWeeks.index(Instant.parse("2026-12-06T23:59:59Z").toEpochMilli(), first));
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
}
