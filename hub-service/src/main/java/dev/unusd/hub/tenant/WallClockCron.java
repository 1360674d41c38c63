package dev.unusd.hub.tenant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * Spring's cron read on a time zone's wall clock, each local time once. Given a zoned time, CronExpression fires a time
 * the clocks repeat twice (01:30 in New York on the first Sunday of November, an hour apart) and never one they jump
 * over (02:30 on the second Sunday of March): a daily scan ran twice, or not at all. As the weekly report does
 * (notify.WeeklyReports#lastDue), a repeated time runs at its first occurrence only, and a skipped one as the clocks
 * jump, forward by the gap (02:30 runs at 03:30); two times that land on one instant run once.
 */
final class WallClockCron {

    private WallClockCron() {
    }

    /** The first run strictly after {@code after}; empty when the cron never fires again. */
    static Optional<Instant> next(CronExpression cron, ZoneId zone, Instant after) {
        LocalDateTime from = LocalDateTime.ofInstant(after, zone);
        // A time the clocks just jumped over runs up to the gap later than it reads: it may be ahead though it reads
        // earlier than now.
        ZoneOffsetTransition jump = zone.getRules().previousTransition(after.plusNanos(1));
        if (jump != null && jump.isGap() && from.isBefore(jump.getDateTimeAfter().plus(jump.getDuration()))) {
            from = jump.getDateTimeBefore().minusNanos(1);
        }
        @Nullable Instant first = null;
        @Nullable LocalDateTime until = null;
        for (LocalDateTime time = cron.next(from); time != null && (until == null || !time.isAfter(until));
                time = cron.next(time)) {
            // atZone: a repeated time is its first occurrence, a skipped one moves forward by the gap.
            Instant at = time.atZone(zone).toInstant();
            if (at.isAfter(after) && (first == null || at.isBefore(first))) {
                first = at;
                // Moved forward by a gap, it may come after times that read later: look at those up to it.
                until = LocalDateTime.ofInstant(at, zone);
            }
        }
        return Optional.ofNullable(first);
    }
}
