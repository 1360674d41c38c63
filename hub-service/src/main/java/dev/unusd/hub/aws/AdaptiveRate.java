package dev.unusd.hub.aws;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Paces one (account, region, operation): permits are spaced 1/rate apart, so calls never burst above the quota. A
 * permit nobody asked for when it fell due is gone: letting a late caller take it would send two calls back to back,
 * and with the delays of a busy machine that drained AWS's bucket more often than it saved time (measured with
 * bench/scan-bench.sh).
 * When AWS still throttles (its quota was lowered, another tool shares it, or calls delayed on their way arrived
 * together) the rate halves and stays down for a second, then climbs back with time, a tenth of the quota per second
 * (AIMD-like): a big account slows down instead of burning retries, and one stray throttle costs a few permits, not
 * the rest of the scan. The climb is timed rather than counted per call: counted, LookupEvents at 2/s took 50 calls
 * (~30 s) to recover, longer than a region's whole CloudTrail work (measured with bench/scan-bench.sh).
 * The first call of a new (account, region, operation) goes alone: the others wait for its answer, then take permits
 * from there. A first call opens a connection to the regional endpoint and runs code not yet loaded or compiled, so
 * when it reaches AWS is uncertain; in a fresh hub's first scan, a region's first LookupEvents was answered after
 * 0.7-1.1 s and AWS counted it together with the calls sent on the next permits: at 2/s, one too many for its bucket.
 * This costs a region about one first call's wait per operation. It replaced starting each new scope at half its quota
 * (back to all of it in 5 s), which cost 1.25 s of every operation's permits and still drew throttles
 * (bench/scan-bench.sh, docs/benchmarks.md).
 * Times are {@link System#nanoTime()} values; the methods taking {@code now} are the clock-free core.
 */
final class AdaptiveRate {

    static final long HOLD_AFTER_THROTTLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Share of the quota regained per second after the hold: from half back to the full quota in 5 s. */
    static final double CLIMB_PER_SECOND = 0.1;

    private final double ceiling;
    private final double floor;
    private double rate;
    private long nextPermitAt;
    private long holdUntil;
    private long climbedAt;
    private final AtomicBoolean firstTaken = new AtomicBoolean();
    private final CountDownLatch firstAnswered = new CountDownLatch(1);

    AdaptiveRate(double perSecond, long now) {
        this.ceiling = perSecond;
        this.floor = Math.min(1.0, perSecond / 10);
        this.rate = perSecond;
        this.nextPermitAt = now;
        this.holdUntil = now;
        this.climbedAt = now;
    }

    /**
     * Blocks until the next permit is due; the first caller's is due at once, the others' once its answer is back
     * ({@link #answered()}).
     */
    void acquire() {
        try {
            if (!takesFirst()) {
                firstAnswered.await();
            }
            long now = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(reserve(now) - now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing AWS calls", e);
        }
    }

    /** Whether the caller makes the scope's first call (once true, never again). */
    boolean takesFirst() {
        return firstTaken.compareAndSet(false, true);
    }

    /** A call made on a permit got its answer, or failed: after the first, the others may go. */
    void answered() {
        firstAnswered.countDown();
    }

    /** Takes the next permit for a caller asking at {@code now}: the time it is due, {@code now} at the earliest. */
    synchronized long reserve(long now) {
        long at = Math.max(now, nextPermitAt);
        nextPermitAt = at + intervalNanos();
        return at;
    }

    /** When the next permit falls due for a caller asking at {@code now}, without taking it. */
    synchronized long dueAt(long now) {
        return Math.max(now, nextPermitAt);
    }

    void throttled() {
        throttled(System.nanoTime());
    }

    synchronized void throttled(long now) {
        rate = Math.max(floor, rate / 2);
        holdUntil = now + HOLD_AFTER_THROTTLE_NANOS;
        climbedAt = holdUntil;
        nextPermitAt = Math.max(nextPermitAt, now + intervalNanos());
    }

    void succeeded() {
        succeeded(System.nanoTime());
    }

    synchronized void succeeded(long now) {
        if (rate < ceiling && now - holdUntil > 0) {
            rate = Math.min(ceiling, rate + ceiling * CLIMB_PER_SECOND * (now - climbedAt) / 1e9);
            climbedAt = now;
        }
    }

    synchronized double rate() {
        return rate;
    }

    private long intervalNanos() {
        return (long) (1_000_000_000L / rate);
    }
}
