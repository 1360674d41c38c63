package dev.unusd.hub.summary;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.unusd.hub.db.TenantContext;

/**
 * Keeps each tenant's summary, in its two parts. The totals read every key and open finding of the tenant (a million
 * rows take a few hundred milliseconds) and change only with its findings: they are kept under the findings version
 * that authentication read (see {@code FindingPages}), so a dashboard polling an unchanged tenant never recomputes
 * them (recomputed every 2 s instead, under load the summary's p99 was 64 ms against 36-37 ms: docs/benchmarks.md).
 * The listing (account names, states, last scans, OU paths and names) changes without that version and is cheap:
 * kept for max-age. A summary filtered by OU is summed from the same two parts.
 * Whenever a part is stale, one request recomputes it and concurrent ones get the stale part meanwhile, so nobody
 * queues behind the aggregate.
 */
@Component
class SummaryCache {

    private static final int MAX_TENANTS = 10_000;
    /** Stands for "no version known" (a request not authenticated by an API key): the totals then follow max-age. */
    private static final long NO_VERSION = Long.MIN_VALUE;

    private final SummaryQueries queries;
    private final long maxAgeNanos;
    private final long totalsMaxAgeNanos;
    private final Map<UUID, Slots> slots = new ConcurrentHashMap<>();

    SummaryCache(SummaryQueries queries, @Value("${hub.api.summary-max-age:2s}") Duration maxAge,
            @Value("${hub.api.findings-cache-max-age:5m}") Duration versionedMaxAge) {
        this.queries = queries;
        this.maxAgeNanos = maxAge.toNanos();
        this.totalsMaxAgeNanos = versionedMaxAge.toNanos();
    }

    private record Slots(Slot<SummaryQueries.Totals> totals, Slot<SummaryQueries.Listing> listing) {
    }

    /**
     * The summary of the tenant in context: totals of {@code findingsVersion} (no older than the findings cache's
     * max-age, a backstop should a change ever fail to raise the version), account rows at most max-age old (plus
     * one computation while either is refreshed).
     */
    Summary current(OptionalLong findingsVersion) {
        return current(findingsVersion, null);
    }

    /** As {@link #current(OptionalLong)}, of the accounts under {@code ou} (child OUs included) when it is given. */
    Summary current(OptionalLong findingsVersion, @Nullable String ou) {
        UUID tenant = TenantContext.require();
        if (slots.size() > MAX_TENANTS) {
            slots.clear(); // tenants come and go; a full reset is cheaper than tracking recency
        }
        Slots slot = slots.computeIfAbsent(tenant, t -> new Slots(new Slot<>(), new Slot<>()));
        long version = findingsVersion.orElse(NO_VERSION);
        SummaryQueries.Totals totals = slot.totals().get(version,
                version == NO_VERSION ? maxAgeNanos : totalsMaxAgeNanos, () -> queries.totals(tenant));
        SummaryQueries.Listing listing = slot.listing().get(0, maxAgeNanos, () -> queries.listing(tenant));
        return SummaryQueries.combine(totals, listing, ou);
    }

    private record Entry<T>(T value, long version, long computedAt) {
    }

    /** One part of a tenant's summary: recomputed by one request at a time while the others take the previous one. */
    private static final class Slot<T> {

        private final ReentrantLock lock = new ReentrantLock();
        private volatile @Nullable Entry<T> entry;

        T get(long version, long maxAgeNanos, Supplier<T> compute) {
            long asked = System.nanoTime();
            Entry<T> seen = entry;
            if (seen != null && fresh(seen, version, maxAgeNanos)) {
                return seen.value();
            }
            if (seen != null && !lock.tryLock()) {
                return seen.value(); // another request is refreshing it
            }
            if (seen == null) {
                lock.lock();
            }
            try {
                // Whoever waited for the lock takes what was computed meanwhile for its version, even if that took
                // longer than max-age: otherwise a slow aggregate would be recomputed once per waiting request.
                Entry<T> current = entry;
                if (current != null && current.version() >= version
                        && (fresh(current, version, maxAgeNanos) || current.computedAt() - asked >= 0)) {
                    return current.value();
                }
                long started = System.nanoTime();
                T value = compute.get();
                entry = new Entry<>(value, version, started);
                return value;
            } finally {
                lock.unlock();
            }
        }

        /** Versions only grow: what was computed for a later one is at least as new as a request's. */
        private static boolean fresh(Entry<?> entry, long version, long maxAgeNanos) {
            return entry.version() >= version && System.nanoTime() - entry.computedAt() < maxAgeNanos;
        }
    }
}
