package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What is known of a key's use: {@code lastUse}, the newest successful cryptographic use ever found, and
 * {@code searched}, the spans in which no successful use is later than it. {@code status} is their verdict against the
 * tenant's unusedDays at {@code checkedAt}, the last time AWS was asked. Knowledge only grows: a later, narrower search
 * keeps every use and span found before.
 */
public record Usage(UsageStatus status, @Nullable LastUse lastUse, UsageSpans searched, @Nullable Instant checkedAt) {

    /** Nothing known, or what was known before a scan that could not ask (metadata withheld, AWS-managed key). */
    public static Usage unknown(@Nullable Usage previous) {
        return previous == null ? new Usage(UsageStatus.UNKNOWN, null, UsageSpans.NONE, null)
                : new Usage(UsageStatus.UNKNOWN, previous.lastUse(), previous.searched(), previous.checkedAt());
    }

    /**
     * Whether the key had a successful use at or after {@code since}: true, false, or null when that cannot be told
     * (a span after {@code since} was never searched). No use can predate {@code createdAt}.
     */
    public @Nullable Boolean usedSince(Instant since, Instant createdAt, Instant now) {
        if (lastUse != null && !lastUse.at().isBefore(since)) {
            return true;
        }
        Instant from = createdAt.isAfter(since) ? createdAt : since;
        return !from.isBefore(now) || searched.covers(from, now) ? false : null;
    }

    /** Since when no use is known, back from the last check: the start of the span that reaches it. */
    public @Nullable Instant knownSince() {
        return checkedAt == null ? null : searched.reachingBackFrom(checkedAt);
    }

    /** The last use found is the key's latest as of the last check: everything after it was searched. */
    public boolean lastUseIsLatest() {
        return lastUse != null && checkedAt != null && searched.covers(lastUse.at(), checkedAt);
    }

    public record LastUse(Instant at, String operation, UsageSource source, @Nullable String cloudTrailEventId) {
    }
}
