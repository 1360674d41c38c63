package dev.unusd.hub.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The hub's own rate limits per (account, region, operation), at AWS's default quotas unless configured
 * ({@link AwsProperties#quotas()}). KMS and CloudTrail quotas are per account and region, so every scan of the same
 * target shares one limiter, whichever thread or scan makes the call.
 */
@Component
class SpokePacing {

    private final AwsProperties properties;
    private final Map<Scope, AdaptiveRate> rates = new ConcurrentHashMap<>();

    SpokePacing(AwsProperties properties) {
        this.properties = properties;
    }

    /** Keyed by the AWS account id: two tenants registering the same account share its quota too. */
    AdaptiveRate rate(String awsAccountId, String region, SpokeAction action) {
        return rates.computeIfAbsent(new Scope(awsAccountId, region, action),
                s -> new AdaptiveRate(properties.quota(action), System.nanoTime()));
    }

    private record Scope(String awsAccountId, String region, SpokeAction action) {
    }
}
