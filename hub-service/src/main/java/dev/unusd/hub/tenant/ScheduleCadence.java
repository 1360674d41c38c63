package dev.unusd.hub.tenant;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * Whether a scan schedule's cron fires at least once in every calendar year and at most once per minimum interval
 * (a first Monday of January is a yearly schedule, though its runs can be 371 days apart), as it runs: on the wall
 * clock of the tenant's zone, each local time once ({@link WallClockCron}).
 *
 * <p>Between two clock changes the zone keeps one offset, so the runs are those of the expression as written, judged
 * in UTC. In Spring's cron the days a schedule fires on and its times of day are independent, so every firing day has
 * the same times: the gaps are those between the times of one day, and from the last time of a firing day to the
 * first of the next. The firing days of 2001-2028 are walked: weekdays and leap years repeat every 28 years (within
 * 1901-2099), so a day that exists only in some years (29 February, a Monday among 1-6 January) is judged too.
 *
 * <p>A clock change brings the runs either side of it closer by the time it skips (01:00 and 03:00 are an hour apart
 * in New York on 8 March 2026), or moves a skipped time onto a later one (Lord Howe's half hour: 01:30 and 02:30 run
 * 30 minutes apart). So the runs around each change of the zone's next 28 years, the span in which its rules put the
 * changes on every day of the week and month they can fall on, are walked as the scheduler runs them.
 */
final class ScheduleCadence {

    static final Duration YEAR = Duration.ofDays(366);
    private static final int CYCLE_YEARS = 28;
    private static final ZonedDateTime FROM = ZonedDateTime.of(2001, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final ZonedDateTime UNTIL = FROM.plusYears(CYCLE_YEARS);

    private ScheduleCadence() {
    }

    /**
     * Why {@code cron}, run in {@code zone} from {@code from} on, fires too often or too rarely, as a field message;
     * empty when its cadence is acceptable.
     */
    static Optional<String> problem(String cron, ZoneId zone, Duration minInterval, Instant from) {
        return asWritten(cron, minInterval)
                .or(() -> aroundClockChanges(CronExpression.parse(cron), zone, minInterval, from));
    }

    /** The cadence of the expression as written, on a clock that never changes. */
    static Optional<String> asWritten(String cron, Duration minInterval) {
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
                    return Optional.of(tooOften(gap, minInterval));
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
                return Optional.of(tooOften(gap, minInterval));
            }
            dayStart = next;
        }
        return Optional.empty();
    }

    /**
     * Only a run less than the minimum before a change, and the runs up to the last one the change can move (those
     * before its instant plus the time it skips or repeats), can be closer to the next run than as written: both runs
     * of such a pair lie within the minimum either side of that stretch.
     */
    private static Optional<String> aroundClockChanges(CronExpression cron, ZoneId zone, Duration minInterval,
            Instant from) {
        if (minInterval.isZero()) {
            return Optional.empty();
        }
        ZoneRules rules = zone.getRules();
        Instant until = from.atZone(ZoneOffset.UTC).plusYears(CYCLE_YEARS).toInstant();
        for (ZoneOffsetTransition change = rules.nextTransition(from);
                change != null && change.getInstant().isBefore(until);
                change = rules.nextTransition(change.getInstant())) {
            List<Instant> runs = WallClockCron.runs(cron, zone, change.getInstant().minus(minInterval),
                    change.getInstant().plus(change.getDuration().abs()).plus(minInterval));
            for (int i = 1; i < runs.size(); i++) {
                Duration gap = Duration.between(runs.get(i - 1), runs.get(i));
                if (gap.compareTo(minInterval) < 0) {
                    return Optional.of(tooOften(gap, minInterval) + " in " + zone.getId()
                            + " when its clocks change on " + change.getDateTimeBefore().toLocalDate());
                }
            }
        }
        return Optional.empty();
    }

    private static String tooOften(Duration gap, Duration minInterval) {
        return "must fire at most once every " + describe(minInterval) + "; this expression fires " + describe(gap)
                + " apart";
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
