package dev.unusd.hub.aws;

import java.util.concurrent.TimeUnit;

/**
 * Paces one (account, region, operation): permits are spaced 1/rate apart, so calls never burst above the quota.
 * When AWS still throttles (its quota was lowered, or another tool shares it) the rate halves and stays down for a
 * while, then climbs back by small steps (AIMD-like), so a big account slows down instead of burning retries.
 */
final class AdaptiveRate {

    private static final long HOLD_AFTER_THROTTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final double ceiling;
    private final double floor;
    private double rate;
    private long nextPermitAt = System.nanoTime();
    private long holdUntil = System.nanoTime();

    AdaptiveRate(double perSecond) {
        this.ceiling = perSecond;
        this.floor = Math.min(1.0, perSecond / 10);
        this.rate = perSecond;
    }

    /** Blocks until the next permit is due. */
    void acquire() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long at = Math.max(now, nextPermitAt);
            nextPermitAt = at + intervalNanos();
            wait = at - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing AWS calls", e);
            }
        }
    }

    synchronized void throttled() {
        long now = System.nanoTime();
        rate = Math.max(floor, rate / 2);
        holdUntil = now + HOLD_AFTER_THROTTLE_NANOS;
        nextPermitAt = Math.max(nextPermitAt, now + intervalNanos());
    }

    synchronized void succeeded() {
        if (rate < ceiling && System.nanoTime() - holdUntil > 0) {
            // Climb back gently (about 2% a call): a quota lowered by AWS stays lowered, and we probe it slowly.
            rate = Math.min(ceiling, rate + Math.max(floor / 10, rate / 50));
        }
    }

    synchronized double rate() {
        return rate;
    }

    private long intervalNanos() {
        return (long) (1_000_000_000L / rate);
    }
}
