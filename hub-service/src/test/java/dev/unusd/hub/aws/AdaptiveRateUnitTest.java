package dev.unusd.hub.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The pacer's schedule on a synthetic clock (nanoseconds from 0): no sleeping, no wall times. The first-call rule
 * blocks threads, so its tests use real ones, at a rate whose permits are a millisecond apart.
 */
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
    void onlyOneCallerMakesTheFirstCall() {
        AdaptiveRate rate = new AdaptiveRate(5, 0);
        assertThat(rate.takesFirst()).isTrue();
        assertThat(rate.takesFirst()).isFalse();
        assertThat(rate.takesFirst()).isFalse();
    }

    @Test
    void theOtherCallersWaitForTheFirstCallsAnswerThenGoAtFullRate() throws Exception {
        // 1000/s: permits a millisecond apart, so only the wait for the first answer can hold a caller up.
        AdaptiveRate rate = new AdaptiveRate(1_000, System.nanoTime());
        rate.acquire();
        ExecutorService others = Executors.newFixedThreadPool(2);
        try {
            List<Thread> waiting = new ArrayList<>();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(others.submit(() -> {
                    synchronized (waiting) {
                        waiting.add(Thread.currentThread());
                    }
                    rate.acquire();
                }));
            }
            awaitBlocked(waiting, 2);
            assertThat(calls).noneMatch(Future::isDone);
            rate.answered();
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            assertThat(rate.rate()).as("no slow start").isEqualTo(1_000.0);
        } finally {
            others.shutdownNow();
        }
    }

    @Test
    void aFailedFirstCallReleasesTheOthersToo() throws Exception {
        AdaptiveRate rate = new AdaptiveRate(1_000, System.nanoTime());
        rate.acquire();
        rate.throttled();
        rate.answered();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(rate::acquire).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    /** Until {@code count} threads have registered and every one of them is parked. */
    private static void awaitBlocked(List<Thread> threads, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (threads) {
                if (threads.size() == count && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the other callers did not block");
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

    @Test
    void aboveTheRateAwsLastThrottledTheClimbIsATenthOfItselfPerSecond() {
        // AWS answers far below the hub's quota: nine halvings from 2,000/s, the last throttle at 7.8125/s.
        AdaptiveRate rate = new AdaptiveRate(2_000, 0);
        for (int i = 0; i < 9; i++) {
            rate.throttled(0);
        }
        assertThat(rate.rate()).isCloseTo(3.90625, within(1e-9));
        long hold = AdaptiveRate.HOLD_AFTER_THROTTLE_NANOS;
        rate.succeeded(hold + 100 * MS);
        assertThat(rate.rate()).as("quickly back to where AWS throttled, no further").isCloseTo(7.8125, within(1e-9));
        rate.succeeded(hold + 1_100 * MS);
        assertThat(rate.rate()).as("then a tenth more per second").isCloseTo(8.59375, within(1e-9));
        rate.succeeded(hold + 100_000 * MS);
        assertThat(rate.rate()).as("never above the quota").isEqualTo(2_000.0);
    }

    @Test
    void aSecondThrottleWithinTheHoldCutsTheRateToWhatAwsAnsweredInTheLastSecond() {
        AdaptiveRate rate = new AdaptiveRate(2_000, 0);
        for (int i = 1; i <= 3; i++) {
            rate.succeeded(i * 10 * MS);
        }
        rate.throttled(40 * MS);
        assertThat(rate.rate()).as("a lone throttle halves").isEqualTo(1_000.0);
        rate.throttled(41 * MS);
        assertThat(rate.rate()).as("three answered, not five hundred").isCloseTo(3.0, within(1e-9));

        AdaptiveRate busy = new AdaptiveRate(5, 0);
        for (int i = 1; i <= 5; i++) {
            busy.succeeded(i * 200 * MS);
        }
        busy.throttled(1_100 * MS);
        busy.throttled(1_150 * MS);
        assertThat(busy.rate()).as("AWS answered about its quota: halved twice").isEqualTo(1.25);
    }
}
