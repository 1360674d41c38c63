package dev.unusd.spokesim.organisation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated accounts' time: the system clock plus however far tests have moved it forward. Every answer, session
 * expiry, CloudTrail window and key deadline reads it, so days can pass between two scans in milliseconds.
 */
public final class SimClock {

    private final Clock system;
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    public SimClock(Clock system) {
        this.system = system;
    }

    public Instant now() {
        return system.instant().plus(ahead.get());
    }

    /**
     * Back to the system clock, for a test that moved a shared simulator forward and leaves it to tests that run on
     * real time; the simulated accounts it used must not be used again.
     */
    public void reset() {
        ahead.set(Duration.ZERO);
    }

    /** Moves time forward; it never goes back, as nothing in AWS would. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward, not by " + by);
        }
        ahead.accumulateAndGet(by, Duration::plus);
    }
}
