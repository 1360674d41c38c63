package dev.unusd.hub.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Every key of one account's region at one moment, AWS-managed keys included. */
public record RegionSnapshot(String awsAccountId, String region, Instant collectedAt, List<KeySnapshot> keys,
        CallCount calls) {

    public RegionSnapshot {
        keys = List.copyOf(keys);
    }

    /** Rate-limited usage calls this snapshot made (what incremental rescans save), and how keys were answered. */
    public record CallCount(int getKeyLastUsage, int lookupEvents, Map<UsagePath, Integer> paths) {
        public CallCount {
            paths = Map.copyOf(paths);
        }
    }
}
