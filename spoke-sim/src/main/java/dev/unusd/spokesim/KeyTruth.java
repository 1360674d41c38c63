package dev.unusd.spokesim;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;

/**
 * What the simulator knows about a key, for tests to compare a scan with: its state, deletion date, tags, rotation
 * and every successful cryptographic use, including those before the region's tracking start and those older than
 * CloudTrail's 90 days. Deleted keys have none: they are gone.
 */
public record KeyTruth(
        String id,
        String arn,
        KeyManager manager,
        KeyState state,
        Instant createdAt,
        @Nullable Instant deletionDate,
        Map<String, String> tags,
        boolean rotationEnabled,
        @Nullable Integer rotationPeriodDays,
        int rotationCount,
        List<Use> uses) {

    public KeyTruth {
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        uses = List.copyOf(uses);
    }

    /** A successful cryptographic use and the CloudTrail event that records it. */
    public record Use(Instant at, String operation, String cloudTrailEventId) {
    }
}
