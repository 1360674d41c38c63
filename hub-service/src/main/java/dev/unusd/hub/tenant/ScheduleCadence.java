package dev.unusd.hub.tenant;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * Whether a scan schedule's cron fires at least once in every calendar year and at most once per minimum interval
 * (a first Monday of January is a yearly schedule, though its runs can be 371 days apart). It is judged on
 * the expression as written, in UTC: runs follow the wall clock of the tenant's zone, each local time once
 * ({@link WallClockCron}), so a daylight-saving change brings the runs either side of it closer or further apart by the
 * hour it skips or repeats: the clock's doing, not the cadence the tenant chose, and not held against it.
 *
 * <p>In Spring's cron the days a schedule fires on and its times of day are independent, so every firing day has
 * the same times: the gaps are those between the times of one day, and from the last time of a firing day to the
 * first of the next. The firing days of 2001-2028 are walked: weekdays and leap years repeat every 28 years (within
 * 1901-2099), so a day that exists only in some years (29 February, a Monday among 1-6 January) is judged too.
 */
final class ScheduleCadence {

    static final Duration YEAR = Duration.ofDays(366);
    private static final ZonedDateTime FROM = ZonedDateTime.of(2001, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final ZonedDateTime UNTIL = FROM.plusYears(28);

    private ScheduleCadence() {
    }

    /** Why {@code cron} fires too often or too rarely, as a field message; empty when its cadence is acceptable. */
    static Optional<String> problem(String cron, Duration minInterval) {
        CronExpression expression = CronExpression.parse(cron);
        ZonedDateTime first = expression.next(FROM.minusSeconds(1));
        if (first == null) {
            return Optional.of("must fire at least once a year; this expression never fires");
        }
        if (first.getYear() > FROM.getYear()) {
            return skips(FROM.getYear());
        }
        List<ZonedDateTime> day = new ArrayList<>();
        for (ZonedDateTime t = first; t != null && t.toLocalDate().equals(first.toLocalDate()); t = expression.next(t)) {
            if (!day.isEmpty()) {
                Duration gap = Duration.between(day.get(day.size() - 1), t);
                if (gap.compareTo(minInterval) < 0) {
                    return tooOften(gap, minInterval);
                }
            }
            day.add(t);
        }
        LocalTime lastOfDay = day.get(day.size() - 1).toLocalTime();
        for (ZonedDateTime dayStart = first; dayStart.isBefore(UNTIL); ) {
            ZonedDateTime last = dayStart.with(lastOfDay);
            @Nullable ZonedDateTime next = expression.next(dayStart.with(LocalTime.MAX));
            if (next == null || next.getYear() > last.getYear() + 1) {
                return skips(last.getYear() + 1);
            }
            Duration gap = Duration.between(last, next);
            if (gap.compareTo(minInterval) < 0) {
                return tooOften(gap, minInterval);
            }
            dayStart = next;
        }
        return Optional.empty();
    }

    private static Optional<String> tooOften(Duration gap, Duration minInterval) {
        return Optional.of("must fire at most once every " + describe(minInterval) + "; this expression fires "
                + describe(gap) + " apart");
    }

    private static Optional<String> skips(int year) {
        return Optional.of("must fire at least once a year; this expression does not fire at all in some years, e.g. "
                + year);
    }

    /** "1 hour", "1 hour 30 minutes", "2 seconds". */
    static String describe(Duration duration) {
        List<String> parts = new ArrayList<>();
        add(parts, duration.toDays(), "day");
        add(parts, duration.toHoursPart(), "hour");
        add(parts, duration.toMinutesPart(), "minute");
        add(parts, duration.toSecondsPart(), "second");
        return parts.isEmpty() ? duration.toMillis() + " ms" : String.join(" ", parts);
    }

    private static void add(List<String> parts, long amount, String unit) {
        if (amount > 0) {
            parts.add(amount + " " + unit + (amount == 1 ? "" : "s"));
        }
    }
}
