package dev.unusd.hub.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * The hub's own rate limits per (account, region, operation), at AWS's default quotas unless configured
 * ({@link AwsProperties#quotas()}). KMS and CloudTrail quotas are per account and region, so every scan of the same
 * target shares one limiter, whichever thread or scan makes the call. And the instance's calls in flight, at most one
 * per connection of the spoke clients' pool ({@link AwsProperties#maxConnections()}).
 */
@Component
class SpokePacing {

    private final AwsProperties properties;
    private final Map<Scope, AdaptiveRate> rates = new ConcurrentHashMap<>();
    /**
     * Calls queue here, in turn, rather than in the HTTP client's pool. There the wait counted against the call's
     * attempt timeout and the pool's own 10 s, so a call that waited too long failed (three attempts, then its target:
     * 4 of 1,000 targets at 100 ms per answer and 64 connections), and each connection given back woke every waiter:
     * with the same 64 connections, a third more hub CPU per target in a first scan and nearly twice as much in a
     * rescan as waiting here (bench/scan-bench.sh --latency-ms 100, docs/benchmarks.md).
     * A call waiting here holds its virtual thread only.
     */
    private final Semaphore connections;

    SpokePacing(AwsProperties properties) {
        this.properties = properties;
        this.connections = new Semaphore(properties.maxConnections(), true);
    }

    /** Makes {@code request} once a connection is free: it never waits in the HTTP client's pool, nor times out there. */
    <T> T onConnection(Supplier<T> request) {
        try {
            connections.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a connection to AWS", e);
        }
        try {
            return request.get();
        } finally {
            connections.release();
        }
    }

    /** Keyed by the AWS account id: two tenants registering the same account share its quota too. */
    AdaptiveRate rate(String awsAccountId, String region, SpokeAction action) {
        return rates.computeIfAbsent(new Scope(awsAccountId, region, action),
                s -> new AdaptiveRate(properties.quota(action), System.nanoTime()));
    }

    private record Scope(String awsAccountId, String region, SpokeAction action) {
    }
}
