package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterUnitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(10, 3, now::get);
    private final UUID key = UUID.randomUUID();

    @Test
    void admitsTheBurstThenOneRequestPerTokenInterval() {
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isEqualTo(Duration.ofMillis(100));

        now.addAndGet(Duration.ofMillis(40).toNanos());
        assertThat(limiter.acquire(key)).isEqualTo(Duration.ofMillis(60));
        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refillsNoMoreThanTheBurst() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire(key);
        }
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(key)).isZero();
        }
        assertThat(limiter.acquire(key)).isPositive();
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire(key);
        }
        assertThat(limiter.acquire(key)).isPositive();
        assertThat(limiter.acquire(UUID.randomUUID())).isZero();
    }

    @Test
    void aNewLimitAppliesAtOnce() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire(key);
        }
        limiter.limit(1, 1);
        assertThat(limiter.acquire(key)).isEqualTo(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(limiter.acquire(key)).isZero();
        assertThat(limiter.acquire(key)).isEqualTo(Duration.ofSeconds(1));
    }
}
