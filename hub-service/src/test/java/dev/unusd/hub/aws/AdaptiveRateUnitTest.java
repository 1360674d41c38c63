package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The pacer's schedule on a synthetic clock (nanoseconds from 0): no sleeping, no wall times. */
class AdaptiveRateUnitTest {

    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 200 * MS; // 5/s, GetKeyLastUsage's quota

    @Test
    void waitingCallersGetPermitsOneIntervalApart() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        List<Long> due = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            due.add(rate.reserve(0));
        }
        assertThat(due).containsExactly(0L, INTERVAL, 2 * INTERVAL, 3 * INTERVAL, 4 * INTERVAL);
    }

    @Test
    void aNewScopeStartsAtHalfItsQuotaAndClimbsToAllOfItInFiveSeconds() {
        AdaptiveRate rate = new AdaptiveRate(5, 2.5, 0);
        assertThat(rate.reserve(0)).isEqualTo(0);
        assertThat(rate.reserve(0)).isEqualTo(2 * INTERVAL);
        rate.succeeded(2_000 * MS);
        assertThat(rate.rate()).isCloseTo(3.5, within(1e-9));
        rate.succeeded(5_000 * MS);
        assertThat(rate.rate()).isEqualTo(5.0);
    }

    @Test
    void lookingAtTheNextPermitDoesNotTakeIt() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        assertThat(rate.dueAt(0)).isEqualTo(0);
        assertThat(rate.dueAt(0)).isEqualTo(0);
        rate.reserve(0);
        assertThat(rate.dueAt(50 * MS)).isEqualTo(INTERVAL);
        assertThat(rate.dueAt(300 * MS)).as("a permit in the past falls due now").isEqualTo(300 * MS);
        assertThat(rate.reserve(50 * MS)).isEqualTo(INTERVAL);
    }

    @Test
    void aLateCallerStartsTheScheduleAfreshWithoutBursting() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        assertThat(rate.reserve(0)).isEqualTo(0);
        // Nobody asked when the second permit fell due (200 ms); callers come at 250 ms and a second later.
        assertThat(rate.reserve(250 * MS)).isEqualTo(250 * MS);
        assertThat(rate.reserve(250 * MS)).isEqualTo(450 * MS);
        assertThat(rate.reserve(1_600 * MS)).isEqualTo(1_600 * MS);
        assertThat(rate.reserve(1_600 * MS)).isEqualTo(1_800 * MS);
    }

    @Test
    void permitsAreNeverCloserThanOneIntervalWhateverTheCallers() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        Random random = new Random(7);
        long now = 0;
        long previous = Long.MIN_VALUE / 2;
        for (int i = 0; i < 2_000; i++) {
            now += random.nextInt(3) == 0 ? random.nextLong(600 * MS) : 0;
            long at = rate.reserve(now);
            assertThat(at).as("permit %d", i).isGreaterThanOrEqualTo(now).isGreaterThanOrEqualTo(previous + INTERVAL);
            previous = at;
        }
    }

    @Test
    void aThrottleHalvesTheRateHoldsItThenClimbsBackToTheQuotaInFiveSeconds() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        rate.throttled(0);
        assertThat(rate.rate()).isEqualTo(2.5);
        assertThat(rate.reserve(0)).isEqualTo(400 * MS); // the next permit waits one new interval
        rate.succeeded(AdaptiveRate.HOLD_AFTER_THROTTLE_NANOS - 1);
        assertThat(rate.rate()).as("held").isEqualTo(2.5);
        long hold = AdaptiveRate.HOLD_AFTER_THROTTLE_NANOS;
        rate.succeeded(hold + 2_500 * MS);
        assertThat(rate.rate()).as("half way").isCloseTo(3.75, within(1e-9));
        rate.succeeded(hold + 5_000 * MS);
        assertThat(rate.rate()).isEqualTo(5.0);
        rate.succeeded(hold + 60_000 * MS);
        assertThat(rate.rate()).as("never above the quota").isEqualTo(5.0);
    }

    @Test
    void theClimbFollowsTimeNotTheNumberOfCalls() {
        // LookupEvents' 2/s: counted per call, a slow operation took half a minute to recover.
        AdaptiveRate rate = new AdaptiveRate(2, 0);
        rate.throttled(0);
        long afterHold = AdaptiveRate.HOLD_AFTER_THROTTLE_NANOS + MS;
        for (int i = 0; i < 1_000; i++) {
            rate.succeeded(afterHold);
        }
        assertThat(rate.rate()).as("many calls at one instant").isCloseTo(1.0, within(0.001));
        rate.succeeded(afterHold + 5_000 * MS);
        assertThat(rate.rate()).isEqualTo(2.0);
    }

    @Test
    void aThrottleDuringTheClimbStartsItAgainFromHalfTheRateReached() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        rate.throttled(0);
        long hold = AdaptiveRate.HOLD_AFTER_THROTTLE_NANOS;
        rate.succeeded(hold + 2_500 * MS);
        rate.throttled(hold + 2_500 * MS);
        assertThat(rate.rate()).isCloseTo(1.875, within(1e-9));
        rate.succeeded(hold + 2_500 * MS + hold / 2);
        assertThat(rate.rate()).as("held again").isCloseTo(1.875, within(1e-9));
    }
}
