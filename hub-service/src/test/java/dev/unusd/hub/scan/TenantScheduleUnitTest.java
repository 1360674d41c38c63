package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;

/**
 * A daily schedule fires once per local day, across daylight-saving changes too, as db-scheduler walks it: the first
 * run from when the task is scheduled, each next one from when the run before completed.
 */
class TenantScheduleUnitTest {

    /** A scheduled firing only launches a scan: it completes moments after it fired. */
    private static final Duration FIRING = Duration.ofSeconds(3);

    @Test
    void aTimeTheClocksRepeatFiresOnceAtItsFirstOccurrence() {
        // New York, 1 November 2026: 01:00-02:00 happens twice, first at -04:00 (05:30Z), then at -05:00 (06:30Z).
        assertThat(firings("0 30 1 * * *", "America/New_York", "2026-10-30T12:00:00Z", 4)).containsExactly(
                "2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z");
    }

    @Test
    void aTimeTheClocksSkipFiresWhenTheyHaveJumped() {
        // New York, 8 March 2026: 02:00-03:00 does not happen; 02:30 is run at 03:30 -04:00.
        assertThat(firings("0 30 2 * * *", "America/New_York", "2026-03-06T12:00:00Z", 4)).containsExactly(
                "2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z");
    }

    @Test
    void anOrdinaryDayFiresAtItsLocalTime() {
        assertThat(firings("0 0 6 * * *", "Europe/Paris", "2026-06-14T12:00:00Z", 3)).containsExactly(
                "2026-06-15T04:00:00Z", "2026-06-16T04:00:00Z", "2026-06-17T04:00:00Z");
        assertThat(firings("0 0 6 * * *", "UTC", "2026-11-01T00:00:00Z", 2)).containsExactly(
                "2026-11-01T06:00:00Z", "2026-11-02T06:00:00Z");
    }

    private static List<String> firings(String cron, String timezone, String scheduledAt, int count) {
        Schedule schedule = new TenantSchedule(UUID.randomUUID(), cron, timezone).getSchedule();
        List<String> firings = new ArrayList<>();
        Instant at = schedule.getInitialExecutionTime(Instant.parse(scheduledAt));
        while (firings.size() < count) {
            firings.add(at.toString());
            at = schedule.getNextExecutionTime(ExecutionComplete.simulatedSuccess(at.plus(FIRING)));
        }
        return firings;
    }
}
