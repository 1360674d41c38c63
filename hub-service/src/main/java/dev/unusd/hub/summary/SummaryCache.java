package dev.unusd.hub.summary;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.ScanFinished;

/**
 * Keeps each tenant's summary, in its two parts. The totals change only with the tenant's findings: they are kept
 * under the findings version that authentication read (see {@code FindingPages}), so a dashboard polling an unchanged
 * tenant never reads them again (recomputed every 2 s instead, under load the summary's p99 was 64 ms against
 * 36-37 ms: docs/benchmarks.md). When the version has moved, only the accounts that changed since are read again
 * ({@link SummaryQueries#refresh}): a full read of a million findings takes a second, one account's a few
 * milliseconds. A full read runs once per tenant and instance, then in the background every findings-cache max-age,
 * a backstop should a change ever fail to record its account; after each scan of a tenant this instance serves, its
 * totals are brought forward in the background too.
 * The listing (account names, states, last scans, OU paths and names) changes without that version and is cheap:
 * kept for max-age, one request recomputing it while concurrent ones take the old one. A summary filtered by OU is
 * summed from the same two parts.
 */
@Component
class SummaryCache {

    private static final Logger log = LoggerFactory.getLogger(SummaryCache.class);
    private static final int MAX_TENANTS = 10_000;
    /** Stands for "no version known" (a request not authenticated by an API key): the totals then follow max-age. */
    private static final long NO_VERSION = Long.MIN_VALUE;

    private final SummaryQueries queries;
    private final long maxAgeNanos;
    private final long fullReadMaxAgeNanos;
    private final Map<UUID, Slots> slots = new ConcurrentHashMap<>();

    SummaryCache(SummaryQueries queries, @Value("${hub.api.summary-max-age:2s}") Duration maxAge,
            @Value("${hub.api.findings-cache-max-age:5m}") Duration versionedMaxAge) {
        this.queries = queries;
        this.maxAgeNanos = maxAge.toNanos();
        this.fullReadMaxAgeNanos = versionedMaxAge.toNanos();
    }

    private record Slots(TotalsSlot totals, Slot<SummaryQueries.Listing> listing) {
    }

    /**
     * The summary of the tenant in context: totals of {@code findingsVersion} or later, account rows at most max-age
     * old (plus one computation while either is refreshed).
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
        Slots slot = slots.computeIfAbsent(tenant, t -> new Slots(new TotalsSlot(), new Slot<>()));
        SummaryQueries.Totals totals = slot.totals().get(tenant, findingsVersion.orElse(NO_VERSION));
        SummaryQueries.Listing listing = slot.listing().get(maxAgeNanos, () -> queries.listing(tenant));
        return SummaryQueries.combine(totals, listing, ou);
    }

    /** The totals as last read, when the last full read was, and when the version was last checked. */
    private record TotalsEntry(SummaryQueries.Totals totals, long fullReadAt, long checkedAt) {
    }

    /** A tenant's totals: brought forward by one request (or background task) at a time. */
    private final class TotalsSlot {

        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicBoolean backgroundRunning = new AtomicBoolean();
        private volatile @Nullable TotalsEntry entry;

        SummaryQueries.Totals get(UUID tenant, long version) {
            TotalsEntry seen = entry;
            if (seen != null && current(seen, version)) {
                refreshInBackgroundWhenOld(tenant, seen);
                return seen.totals();
            }
            // Read your writes: a request of a later version waits for the one bringing the totals forward (a few
            // milliseconds for a few accounts) and takes its result when that is current enough.
            lock.lock();
            try {
                TotalsEntry now = entry;
                if (now != null && current(now, version)) {
                    return now.totals();
                }
                long started = System.nanoTime();
                TotalsEntry next = now == null ? new TotalsEntry(queries.totals(tenant), started, started)
                        : new TotalsEntry(queries.refresh(tenant, now.totals()), now.fullReadAt(), started);
                entry = next;
                refreshInBackgroundWhenOld(tenant, next);
                return next.totals();
            } finally {
                lock.unlock();
            }
        }

        /** Versions only grow: totals read for a later one are at least as new as a request's. */
        private boolean current(TotalsEntry entry, long version) {
            return version == NO_VERSION ? System.nanoTime() - entry.checkedAt() < maxAgeNanos
                    : entry.totals().version() >= version;
        }

        /** The backstop: every max-age of the findings cache, a full read instead of bringing the totals forward. */
        private void refreshInBackgroundWhenOld(UUID tenant, TotalsEntry seen) {
            if (System.nanoTime() - seen.fullReadAt() >= fullReadMaxAgeNanos) {
                inBackground(tenant, true);
            }
        }

        /**
         * Brings the totals forward to the current version on a virtual thread, from a full read or from the ones
         * held; one at a time per tenant (a second ask while one runs is dropped: the running one ends current).
         */
        void inBackground(UUID tenant, boolean fullRead) {
            if (!backgroundRunning.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("summary-totals").start(() -> {
                try {
                    TenantContext.runAs(tenant, () -> {
                        long started = System.nanoTime();
                        SummaryQueries.Totals full = fullRead ? queries.totals(tenant) : null;
                        lock.lock();
                        try {
                            TotalsEntry held = entry;
                            if (full != null) {
                                entry = new TotalsEntry(queries.refresh(tenant, full), started, System.nanoTime());
                            } else if (held != null) {
                                entry = new TotalsEntry(queries.refresh(tenant, held.totals()), held.fullReadAt(),
                                        System.nanoTime());
                            }
                        } finally {
                            lock.unlock();
                        }
                    });
                } catch (RuntimeException e) {
                    log.warn("Bringing tenant {}'s summary totals forward failed; the next request does it", tenant, e);
                } finally {
                    backgroundRunning.set(false);
                }
            });
        }
    }

    /**
     * After a scan of a tenant whose summary this instance holds, its totals are brought forward off the request's
     * path, so the first overview after a nightly scan of every account does not wait for them.
     */
    @TransactionalEventListener
    void scanFinished(ScanFinished scan) {
        Slots slot = slots.get(scan.tenantId());
        if (slot != null) {
            slot.totals().inBackground(scan.tenantId(), false);
        }
    }

    private record Entry<T>(T value, long computedAt) {
    }

    /** A part of a tenant's summary kept for max-age: recomputed by one request at a time, the others take the old. */
    private static final class Slot<T> {

        private final ReentrantLock lock = new ReentrantLock();
        private volatile @Nullable Entry<T> entry;

        T get(long maxAgeNanos, Supplier<T> compute) {
            long asked = System.nanoTime();
            Entry<T> seen = entry;
            if (seen != null && asked - seen.computedAt() < maxAgeNanos) {
                return seen.value();
            }
            if (seen != null && !lock.tryLock()) {
                return seen.value(); // another request is refreshing it
            }
            if (seen == null) {
                lock.lock();
            }
            try {
                // Whoever waited for the lock takes what was computed meanwhile, even if that took longer than
                // max-age: otherwise a slow part would be recomputed once per waiting request.
                Entry<T> current = entry;
                if (current != null && (System.nanoTime() - current.computedAt() < maxAgeNanos
                        || current.computedAt() - asked >= 0)) {
                    return current.value();
                }
                long started = System.nanoTime();
                T value = compute.get();
                entry = new Entry<>(value, started);
                return value;
            } finally {
                lock.unlock();
            }
        }
    }
}
