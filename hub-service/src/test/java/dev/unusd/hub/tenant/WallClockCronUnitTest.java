package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs around daylight-saving changes of 2026, mostly New York's: 8 March 02:00 -> 03:00, 1 November 02:00 -> 01:00.
 * The once-a-day walk through both, as the scheduler makes it, is TenantScheduleUnitTest's.
 */
class WallClockCronUnitTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void fromInsideTheRepeatedHourATimeThatRanInItsFirstPassWaitsForTheNextDay() {
        // 06:00Z is 01:00 -05:00, the second 01:00: 01:30 ran at 05:30Z.
        assertThat(runs("0 30 1 * * *", "2026-11-01T06:00:00Z", 1)).containsExactly("2026-11-02T06:30:00Z");
    }

    @Test
    void anHourlyScheduleSkipsTheRepeatedHour() {
        assertThat(runs("0 0 * * * *", "2026-11-01T04:30:00Z", 3)).containsExactly(
                "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z");
    }

    @Test
    void aSkippedTimeIsStillAheadJustAfterTheJump() {
        // 07:00Z is the jump itself, 07:10Z is 03:10 -04:00: 02:30, run at 03:30, has not run yet.
        assertThat(runs("0 30 2 * * *", "2026-03-08T07:00:00Z", 2)).containsExactly(
                "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z");
        assertThat(runs("0 30 2 * * *", "2026-03-08T07:10:00Z", 1)).containsExactly("2026-03-08T07:30:00Z");
    }

    @Test
    void twoTimesThatLandOnOneInstantRunOnce() {
        // 02:30 is moved to 03:30, which the schedule names too.
        assertThat(runs("0 30 2,3 * * *", "2026-03-07T12:00:00Z", 3)).containsExactly(
                "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-09T07:30:00Z");
    }

    @Test
    void aTimeMovedPastALaterOneRunsAfterIt() {
        // Lord Howe Island, 4 October 2026: 02:00 +10:30 -> 02:30 +11:00, half an hour. 02:10 is run at 02:40,
        // after 02:30.
        assertThat(runs("0 10,30 2 * * *", ZoneId.of("Australia/Lord_Howe"), "2026-10-03T12:00:00Z", 3))
                .containsExactly("2026-10-03T15:30:00Z", "2026-10-03T15:40:00Z", "2026-10-04T15:10:00Z");
    }

    @Test
    void theRunsOfAWindowAreThoseNextAnswersOneAfterAnother() {
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        for (String cron : List.of("0 */10 * * * *", "0 30 1,2,3 * * *", "0 0 * * * *", "0 10,30 2 * * *")) {
            for (ZoneId zone : List.of(NEW_YORK, lordHowe)) {
                for (String day : List.of("2026-03-08", "2026-04-05", "2026-10-04", "2026-11-01")) {
                    Instant after = Instant.parse(day + "T00:00:00Z");
                    Instant until = after.plus(Duration.ofDays(1));
                    CronExpression expression = CronExpression.parse(cron);
                    List<Instant> oneByOne = new ArrayList<>();
                    for (Instant at = WallClockCron.next(expression, zone, after).orElseThrow(); !at.isAfter(until);
                            at = WallClockCron.next(expression, zone, at).orElseThrow()) {
                        oneByOne.add(at);
                    }
                    assertThat(WallClockCron.runs(expression, zone, after, until))
                            .as(cron + " in " + zone + " on " + day).isNotEmpty().isEqualTo(oneByOne);
                }
            }
        }
    }

    private static List<String> runs(String cron, String from, int count) {
        return runs(cron, NEW_YORK, from, count);
    }

    private static List<String> runs(String cron, ZoneId zone, String from, int count) {
        List<String> runs = new ArrayList<>();
        Instant after = Instant.parse(from);
        while (runs.size() < count) {
            after = WallClockCron.next(CronExpression.parse(cron), zone, after).orElseThrow();
            runs.add(after.toString());
        }
        return runs;
    }
}
