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
 * (~30 s) to recover, longer than a region's whole CloudTrail work (measured with bench/scan-bench.sh). That quick
 * climb goes back up to the rate AWS last throttled, no further: above it the rate grows by a tenth of itself per
 * second. Where AWS's quota is far below the hub's (shared with another tool, or lowered), climbing a tenth of the
 * hub's quota per second overshot it within milliseconds of each hold, and each overshoot cost a run of throttles
 * (DescribeKey at 3/s against the hub's 2,000/s: five to seven a second, one a cycle since). For the same reason a
 * second throttle within a hold cuts the rate to what AWS answered in the last second when that is below half:
 * halving alone took ten throttles from 2,000/s down to 3/s, and one call that met them all spent its eight attempts
 * and failed its target.
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
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Share of the quota regained per second after the hold: from half back to the full quota in 5 s. */
    static final double CLIMB_PER_SECOND = 0.1;

    private final double ceiling;
    private final double floor;
    private double rate;
    /** The rate AWS last throttled (the quota until then): the quick climb stops there. */
    private double throttledRate;
    private long nextPermitAt;
    private long holdUntil;
    private long climbedAt;
    /** Calls answered in the current second (since windowStartedAt) and in the one before. */
    private long windowStartedAt;
    private int answeredInWindow;
    private int answeredInPreviousWindow;
    private final AtomicBoolean firstTaken = new AtomicBoolean();
    private final CountDownLatch firstAnswered = new CountDownLatch(1);

    AdaptiveRate(double perSecond, long now) {
        this.ceiling = perSecond;
        this.floor = Math.min(1.0, perSecond / 10);
        this.rate = perSecond;
        this.throttledRate = perSecond;
        this.nextPermitAt = now;
        this.holdUntil = now;
        this.climbedAt = now;
        this.windowStartedAt = now;
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
        // A throttle again while the last one's hold runs: AWS's quota is far below the rate, at most what it
        // answered in the last second (a lone throttle halves: the hub may have made fewer calls than AWS allows).
        double answered = now - holdUntil < 0 ? answeredInLastSecond(now) : 0;
        throttledRate = rate;
        rate = Math.max(floor, answered >= 1 ? Math.min(rate / 2, answered) : rate / 2);
        holdUntil = now + HOLD_AFTER_THROTTLE_NANOS;
        climbedAt = holdUntil;
        nextPermitAt = Math.max(nextPermitAt, now + intervalNanos());
    }

    void succeeded() {
        succeeded(System.nanoTime());
    }

    synchronized void succeeded(long now) {
        roll(now);
        answeredInWindow++;
        if (rate < ceiling && now - holdUntil > 0) {
            double seconds = (now - climbedAt) / 1e9;
            rate = rate < throttledRate ? Math.min(throttledRate, rate + ceiling * CLIMB_PER_SECOND * seconds)
                    : Math.min(ceiling, rate * Math.pow(1 + CLIMB_PER_SECOND, seconds));
            climbedAt = now;
        }
    }

    /** About how many calls AWS answered in the second before {@code now}: a bound on its quota when it throttles. */
    private double answeredInLastSecond(long now) {
        roll(now);
        double intoWindow = (now - windowStartedAt) / (double) SECOND_NANOS;
        return answeredInWindow + answeredInPreviousWindow * (1 - intoWindow);
    }

    private void roll(long now) {
        long elapsed = now - windowStartedAt;
        if (elapsed >= SECOND_NANOS) {
            answeredInPreviousWindow = elapsed >= 2 * SECOND_NANOS ? 0 : answeredInWindow;
            answeredInWindow = 0;
            windowStartedAt += elapsed / SECOND_NANOS * SECOND_NANOS;
        }
    }

    synchronized double rate() {
        return rate;
    }

    private long intervalNanos() {
        return (long) (1_000_000_000L / rate);
    }
}
