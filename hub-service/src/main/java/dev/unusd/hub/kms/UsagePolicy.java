package dev.unusd.hub.kms;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a scan asks of usage: the moment it judges, the tenant's unusedDays, the method, and how long the answer must
 * stay true (until the next scheduled scan, at least a day) for the incremental rule.
 */
public record UsagePolicy(Instant now, int unusedDays, UsageMode mode, Duration untilNextScan) {

    /** PENDING_DELETION_IN_USE looks at the last 30 days, whatever unusedDays says. */
    static final int PENDING_DELETION_WINDOW_DAYS = 30;
    /** GetKeyLastUsage can lag about an hour; a day of margin also absorbs a late or slow next scan. */
    static final Duration SAFETY_MARGIN = Duration.ofDays(1);

    Instant unusedSince() {
        return since(now, unusedDays);
    }

    /** The look-back of a search: unusedDays, or 30 days for a key pending deletion when that is longer. */
    Instant windowStart(boolean pendingDeletion) {
        return since(now, pendingDeletion ? Math.max(unusedDays, PENDING_DELETION_WINDOW_DAYS) : unusedDays);
    }

    /**
     * The first instant of "the last {@code days} days": a use exactly {@code days} ago is outside, so the window
     * never asks CloudTrail about the instant its 90-day event history ends on (milliseconds, as AWS's times are).
     */
    public static Instant since(Instant now, int days) {
        return now.minus(Duration.ofDays(days)).plusMillis(1);
    }

    /** The verdict of what is known: used within unusedDays, not used, or unknown where a span was not searched. */
    Usage judge(Usage.@Nullable LastUse lastUse, UsageSpans searched, @Nullable Instant checkedAt,
            KeyMetadata metadata) {
        Usage known = new Usage(UsageStatus.UNKNOWN, lastUse, searched, checkedAt);
        Boolean used = known.usedSince(unusedSince(), metadata.createdAt(), now);
        UsageStatus status = used == null ? UsageStatus.UNKNOWN : used ? UsageStatus.USED : UsageStatus.UNUSED;
        return new Usage(status, lastUse, searched, checkedAt);
    }

    /**
     * The incremental rule: a key whose last known use is so recent that it stays inside unusedDays until after the
     * next scheduled scan (at least a day from now) plus a day of margin cannot become unused before we look again,
     * so this scan makes no usage call for it. Not for keys pending deletion (PENDING_DELETION_IN_USE needs fresh
     * use), not for keys whose usage is UNKNOWN or UNUSED (a new use would change them), and not in CLOUDTRAIL_ONLY.
     */
    boolean stillUsed(Usage previous, KeyMetadata metadata) {
        if (mode != UsageMode.LAST_USAGE || metadata.pendingDeletion() || previous.status() != UsageStatus.USED
                || previous.lastUse() == null) {
            return false;
        }
        Duration horizon = (untilNextScan.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : untilNextScan)
                .plus(SAFETY_MARGIN);
        return previous.lastUse().at().plus(Duration.ofDays(unusedDays)).isAfter(now.plus(horizon));
    }
}
