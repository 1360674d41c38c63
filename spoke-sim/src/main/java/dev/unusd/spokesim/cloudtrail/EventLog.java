package dev.unusd.spokesim.cloudtrail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/** A region's CloudTrail event history, indexed by key ARN because the hub looks events up by ResourceName. */
public final class EventLog {

    /** Event history keeps management events for 90 days. */
    public static final Duration HISTORY = Duration.ofDays(90);

    public static final Comparator<TrailEvent> NEWEST_FIRST =
            Comparator.comparing(TrailEvent::time).thenComparingLong(TrailEvent::sequence).reversed();

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final List<TrailEvent> all = new ArrayList<>();
    private final Map<String, List<TrailEvent>> byKeyArn = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    public static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    public void append(TrailEvent event) {
        lock.writeLock().lock();
        try {
            all.add(event);
            if (event.keyArn() != null) {
                byKeyArn.computeIfAbsent(event.keyArn(), k -> new ArrayList<>(4)).add(event);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Events in [start, end] that match, newest first. */
    public List<TrailEvent> find(String keyArn, Instant start, Instant end, Predicate<TrailEvent> filter) {
        List<TrailEvent> found = new ArrayList<>();
        lock.readLock().lock();
        try {
            List<TrailEvent> candidates = keyArn == null ? all : byKeyArn.getOrDefault(keyArn, List.of());
            for (TrailEvent e : candidates) {
                if (!e.time().isBefore(start) && !e.time().isAfter(end) && filter.test(e)) {
                    found.add(e);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        found.sort(NEWEST_FIRST);
        return found;
    }

    int size() {
        lock.readLock().lock();
        try {
            return all.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
