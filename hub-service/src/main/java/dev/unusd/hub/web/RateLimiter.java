package dev.unusd.hub.web;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A token bucket per API key: {@code ratePerSecond} tokens a second, up to {@code burst} saved up. Buckets live in
 * this instance's memory, so the limit is per hub instance: behind a load balancer over n instances a key may make
 * up to n times the rate. That bounds what one runaway dashboard costs an instance, which is the point.
 */
@Component
public class RateLimiter {

    private static final int MAX_BUCKETS = 100_000;

    private final LongSupplier nanoClock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Limit limit;

    @Autowired
    RateLimiter(@Value("${hub.api.rate-per-second:50}") double ratePerSecond,
            @Value("${hub.api.rate-burst:100}") int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    RateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.limit = Limit.of(ratePerSecond, burst);
    }

    private record Limit(double perNano, int burst) {
        static Limit of(double ratePerSecond, int burst) {
            if (!(ratePerSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("rate must be positive and burst at least 1");
            }
            return new Limit(ratePerSecond / 1e9, burst);
        }
    }

    /** Changes the limit at run time for every key; buckets keep their tokens up to the new burst. */
    public void limit(double ratePerSecond, int burst) {
        this.limit = Limit.of(ratePerSecond, burst);
    }

    /** Takes a token for {@code key}: empty when the request may go ahead, else how long until a token is there. */
    public Duration acquire(UUID key) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.clear(); // bounded memory; a reset only gives every key a full bucket once
        }
        Limit current = limit;
        long now = nanoClock.getAsLong();
        return buckets.computeIfAbsent(key, k -> new Bucket(current.burst(), now)).take(current, now);
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized Duration take(Limit limit, long now) {
            tokens = Math.min(limit.burst(), tokens + Math.max(0, now - refilledAt) * limit.perNano());
            refilledAt = Math.max(refilledAt, now);
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / limit.perNano()));
        }
    }
}
