package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Whether a key was used: {@code status} against the tenant's unusedDays, {@code lastUse} the newest successful
 * cryptographic use known (at any time), and the span of that knowledge: no successful use in
 * [{@code knownSince}, {@code checkedAt}] other than {@code lastUse}. The span lets a rescan skip CloudTrail for a
 * stretch of time it has already searched.
 */
public record Usage(UsageStatus status, @Nullable LastUse lastUse, @Nullable Instant knownSince,
        @Nullable Instant checkedAt) {

    public static Usage unknown(@Nullable Instant checkedAt) {
        return new Usage(UsageStatus.UNKNOWN, null, null, checkedAt);
    }

    public record LastUse(Instant at, String operation, UsageSource source, @Nullable String cloudTrailEventId) {
    }
}
