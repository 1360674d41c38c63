package dev.unusd.hub.summary;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.unusd.hub.db.TenantContext;

/**
 * Keeps each tenant's summary for a short while. The aggregates read every open finding of the tenant (a million
 * rows take a few hundred milliseconds), while a dashboard polls the summary from many browsers: computing it at
 * most once per max-age per instance keeps its latency flat. When an entry is stale, one request recomputes it and
 * concurrent ones get the stale figures meanwhile, so nobody queues behind the aggregate.
 */
@Component
class SummaryCache {

    private static final int MAX_TENANTS = 10_000;

    private final SummaryQueries queries;
    private final long maxAgeNanos;
    private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();

    SummaryCache(SummaryQueries queries, @Value("${hub.api.summary-max-age:2s}") Duration maxAge) {
        this.queries = queries;
        this.maxAgeNanos = maxAge.toNanos();
    }

    private record Entry(Summary summary, long computedAt) {
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile @Nullable Entry entry;
    }

    /** The summary of the tenant in context, at most max-age old (plus one computation while it is refreshed). */
    Summary current() {
        UUID tenant = TenantContext.require();
        long asked = System.nanoTime();
        if (slots.size() > MAX_TENANTS) {
            slots.clear(); // tenants come and go; a full reset is cheaper than tracking recency
        }
        Slot slot = slots.computeIfAbsent(tenant, t -> new Slot());
        Entry entry = slot.entry;
        if (entry != null && fresh(entry)) {
            return entry.summary();
        }
        if (entry != null && !slot.lock.tryLock()) {
            return entry.summary(); // another request is refreshing it
        }
        if (entry == null) {
            slot.lock.lock();
        }
        try {
            // Whoever waited for the lock takes what was computed meanwhile, even if that took longer than max-age:
            // otherwise a slow aggregate would be recomputed once per waiting request.
            Entry current = slot.entry;
            if (current != null && (fresh(current) || current.computedAt() - asked >= 0)) {
                return current.summary();
            }
            long started = System.nanoTime();
            Summary summary = queries.compute(tenant);
            slot.entry = new Entry(summary, started);
            return summary;
        } finally {
            slot.lock.unlock();
        }
    }

    private boolean fresh(Entry entry) {
        return System.nanoTime() - entry.computedAt() < maxAgeNanos;
    }
}
