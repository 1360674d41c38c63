package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.Usage;

/** The facts a finding rests on, in the order a reader wants them; absent facts are left out. */
final class Evidence {

    private final Map<String, Object> facts = new LinkedHashMap<>();

    Evidence with(String name, @Nullable Object value) {
        if (value != null) {
            facts.put(name, value instanceof Instant || value instanceof Enum<?> ? value.toString() : value);
        }
        return this;
    }

    /** Usage evidence: status, the last use with its source, operation and CloudTrail event id, and the span checked. */
    Evidence usage(KeySnapshot key) {
        Usage usage = key.usage();
        with("usageStatus", usage.status());
        Usage.LastUse last = usage.lastUse();
        if (last != null) {
            with("lastUsedAt", last.at()).with("operation", last.operation()).with("source", last.source())
                    .with("cloudTrailEventId", last.cloudTrailEventId());
        }
        return with("usageKnownSince", usage.knownSince()).with("usageCheckedAt", usage.checkedAt());
    }

    /** 2026-11-28: the day, for details a person reads. */
    static String day(Instant at) {
        return at.toString().substring(0, 10);
    }

    Map<String, Object> facts() {
        return facts;
    }
}
