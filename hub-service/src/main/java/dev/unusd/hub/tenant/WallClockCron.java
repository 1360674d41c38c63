package dev.unusd.hub.tenant;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

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

    /**
     * Every run in ({@code after}, {@code until}], in order: the runs {@link #next} answers one after another, found in
     * one pass over the local times that can land there, so a window around a clock change costs as many steps as it
     * holds times, however often the cron fires.
     */
    static List<Instant> runs(CronExpression cron, ZoneId zone, Instant after, Instant until) {
        ZoneRules rules = zone.getRules();
        // A run lands at its local time less one of the offsets the zone has in the window.
        int lowest = rules.getOffset(after).getTotalSeconds();
        int highest = lowest;
        for (ZoneOffsetTransition change = rules.nextTransition(after);
                change != null && !change.getInstant().isAfter(until);
                change = rules.nextTransition(change.getInstant())) {
            lowest = Math.min(lowest, change.getOffsetAfter().getTotalSeconds());
            highest = Math.max(highest, change.getOffsetAfter().getTotalSeconds());
        }
        LocalDateTime to = LocalDateTime.ofInstant(until, ZoneOffset.ofTotalSeconds(highest));
        TreeSet<Instant> runs = new TreeSet<>();
        for (LocalDateTime time = cron.next(LocalDateTime.ofInstant(after, ZoneOffset.ofTotalSeconds(lowest)));
                time != null && !time.isAfter(to); time = cron.next(time)) {
            Instant at = time.atZone(zone).toInstant();
            if (at.isAfter(after) && !at.isAfter(until)) {
                runs.add(at);
            }
        }
        return List.copyOf(runs);
    }
}
