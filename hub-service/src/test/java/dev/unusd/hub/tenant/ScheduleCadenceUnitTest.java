package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ScheduleCadenceUnitTest {

    static final Duration HOUR = Duration.ofHours(1);
    static final Duration TWO_HOURS = Duration.ofHours(2);
    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    @Test
    void schedulesBetweenHourlyAndYearlyAreAccepted() {
        assertThat(ScheduleCadence.asWritten("0 0 6 * * *", HOUR)).isEmpty();
        assertThat(ScheduleCadence.asWritten("0 0 * * * *", HOUR)).isEmpty();
        assertThat(ScheduleCadence.asWritten("0 30 2 * * MON-FRI", HOUR)).isEmpty();
        assertThat(ScheduleCadence.asWritten("0 0 0 1 1 *", HOUR)).isEmpty();
        // The first Monday of January comes every year, whatever weekday the year starts on.
        assertThat(ScheduleCadence.asWritten("0 0 6 1-7 1 MON", HOUR)).isEmpty();
        assertThat(ScheduleCadence.asWritten("0 0 0,23 * * *", HOUR)).isEmpty();
    }

    @Test
    void schedulesThatFireMoreOftenThanTheMinimumAreRefused() {
        assertThat(ScheduleCadence.asWritten("* * * * * *", HOUR))
                .contains("must fire at most once every 1 hour; this expression fires 1 second apart");
        assertThat(ScheduleCadence.asWritten("0 */30 * * * *", HOUR))
                .contains("must fire at most once every 1 hour; this expression fires 30 minutes apart");
        // 23:00 then 00:00 the next day.
        assertThat(ScheduleCadence.asWritten("0 0 0,23 * * *", Duration.ofHours(2)))
                .contains("must fire at most once every 2 hours; this expression fires 1 hour apart");
        assertThat(ScheduleCadence.asWritten("0 0 12 * * MON,TUE", Duration.ofHours(25)))
                .contains("must fire at most once every 1 day 1 hour; this expression fires 1 day apart");
        assertThat(ScheduleCadence.asWritten("*/2 * * * * *", Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void schedulesThatDoNotFireEveryYearAreRefused() {
        assertThat(ScheduleCadence.asWritten("0 0 6 30 2 *", HOUR))
                .contains("must fire at least once a year; this expression never fires");
        assertThat(ScheduleCadence.asWritten("0 0 6 29 2 *", HOUR)).contains(
                "must fire at least once a year; this expression does not fire at all in some years, e.g. 2001");
        // Most years have a Monday among 1-6 January; 2002, whose 7 January is a Monday, has none.
        assertThat(ScheduleCadence.asWritten("0 0 6 1-6 1 MON", HOUR)).contains(
                "must fire at least once a year; this expression does not fire at all in some years, e.g. 2002");
    }

    @Test
    void runsThatAClockChangeBringsCloserThanTheMinimumAreRefused() {
        // New York, 8 March 2026: 01:00 EST and 03:00 EDT are an hour apart.
        assertThat(ScheduleCadence.problem("0 0 1,3 * * *", UTC, TWO_HOURS, FROM)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 1,3 * * *", NEW_YORK, TWO_HOURS, FROM)).contains("must fire at most"
                + " once every 2 hours; this expression fires 1 hour apart in America/New_York when its clocks change"
                + " on 2026-03-08");
        // Lord Howe Island, 4 October 2026, half an hour forward: 02:30 +11:00 comes 30 minutes after 01:30 +10:30.
        assertThat(ScheduleCadence.problem("0 30 1,2 * * *", UTC, HOUR, FROM)).isEmpty();
        assertThat(ScheduleCadence.problem("0 30 1,2 * * *", LORD_HOWE, HOUR, FROM)).contains("must fire at most once"
                + " every 1 hour; this expression fires 30 minutes apart in Australia/Lord_Howe when its clocks change"
                + " on 2026-10-04");
        // A daily schedule runs 23 hours after the one before on the day the clocks spring forward.
        assertThat(ScheduleCadence.problem("0 0 6 * * *", NEW_YORK, Duration.ofHours(24), FROM)).contains("must fire"
                + " at most once every 1 day; this expression fires 23 hours apart in America/New_York when its clocks"
                + " change on 2026-03-08");
        assertThat(ScheduleCadence.problem("0 0 6 * * *", ZoneId.of("Asia/Tokyo"), Duration.ofHours(24), FROM))
                .isEmpty();
    }

    @Test
    void runsThatStayFarEnoughApartAcrossClockChangesAreAccepted() {
        // 01:30 EST then 02:30, which the clocks skip, run as they jump: at 03:30 EDT, an hour later. In November
        // the repeated 01:30 runs once, so its runs are further apart, not closer.
        assertThat(ScheduleCadence.problem("0 30 1,2 * * *", NEW_YORK, HOUR, FROM)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 * * * *", NEW_YORK, HOUR, FROM)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 1,3 * * *", NEW_YORK, HOUR, FROM)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 6 * * *", NEW_YORK, Duration.ofHours(23), FROM)).isEmpty();
    }

    @Test
    void aClockChangeOnADayTheScheduleFiresOnlyInSomeYearsIsFound() {
        // New York springs forward on the second Sunday of March; after 2026 it is the 8th again in 2037.
        Instant from2027 = Instant.parse("2027-01-01T00:00:00Z");
        assertThat(ScheduleCadence.problem("0 0 1,3 8 3 *", NEW_YORK, TWO_HOURS, from2027)).contains("must fire at"
                + " most once every 2 hours; this expression fires 1 hour apart in America/New_York when its clocks"
                + " change on 2037-03-08");
    }

    @Test
    void durationsReadAsWords() {
        assertThat(ScheduleCadence.describe(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
        assertThat(ScheduleCadence.describe(Duration.ofSeconds(2))).isEqualTo("2 seconds");
        assertThat(ScheduleCadence.describe(Duration.ofDays(2))).isEqualTo("2 days");
    }
}
