package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ScheduleCadenceUnitTest {

    static final Duration HOUR = Duration.ofHours(1);

    @Test
    void schedulesBetweenHourlyAndYearlyAreAccepted() {
        assertThat(ScheduleCadence.problem("0 0 6 * * *", HOUR)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 * * * *", HOUR)).isEmpty();
        assertThat(ScheduleCadence.problem("0 30 2 * * MON-FRI", HOUR)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 0 1 1 *", HOUR)).isEmpty();
        // The first Monday of January comes every year, whatever weekday the year starts on.
        assertThat(ScheduleCadence.problem("0 0 6 1-7 1 MON", HOUR)).isEmpty();
        assertThat(ScheduleCadence.problem("0 0 0,23 * * *", HOUR)).isEmpty();
    }

    @Test
    void schedulesThatFireMoreOftenThanTheMinimumAreRefused() {
        assertThat(ScheduleCadence.problem("* * * * * *", HOUR))
                .contains("must fire at most once every 1 hour; this expression fires 1 second apart");
        assertThat(ScheduleCadence.problem("0 */30 * * * *", HOUR))
                .contains("must fire at most once every 1 hour; this expression fires 30 minutes apart");
        // 23:00 then 00:00 the next day.
        assertThat(ScheduleCadence.problem("0 0 0,23 * * *", Duration.ofHours(2)))
                .contains("must fire at most once every 2 hours; this expression fires 1 hour apart");
        assertThat(ScheduleCadence.problem("0 0 12 * * MON,TUE", Duration.ofHours(25)))
                .contains("must fire at most once every 1 day 1 hour; this expression fires 1 day apart");
        assertThat(ScheduleCadence.problem("*/2 * * * * *", Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void schedulesThatDoNotFireEveryYearAreRefused() {
        assertThat(ScheduleCadence.problem("0 0 6 30 2 *", HOUR))
                .contains("must fire at least once a year; this expression never fires");
        assertThat(ScheduleCadence.problem("0 0 6 29 2 *", HOUR)).contains(
                "must fire at least once a year; this expression does not fire at all in some years, e.g. 2001");
        // Most years have a Monday among 1-6 January; 2002, whose 7 January is a Monday, has none.
        assertThat(ScheduleCadence.problem("0 0 6 1-6 1 MON", HOUR)).contains(
                "must fire at least once a year; this expression does not fire at all in some years, e.g. 2002");
    }

    @Test
    void durationsReadAsWords() {
        assertThat(ScheduleCadence.describe(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
        assertThat(ScheduleCadence.describe(Duration.ofSeconds(2))).isEqualTo("2 seconds");
        assertThat(ScheduleCadence.describe(Duration.ofDays(2))).isEqualTo("2 days");
    }
}
