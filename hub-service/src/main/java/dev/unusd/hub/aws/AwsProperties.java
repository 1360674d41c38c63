package dev.unusd.hub.aws;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the hub talks to spoke accounts: connection pool, timeouts, retries, session length and the request rates it
 * allows itself per (account, region, operation). {@code quotas} overrides the default rate of an operation, e.g.
 * {@code hub.aws.quotas.GetKeyLastUsage=20} for customers whose AWS quota was raised. The overrides are global: one
 * value for every account (no per-tenant or per-account override yet).
 */
@ConfigurationProperties("hub.aws")
public record AwsProperties(
        @DefaultValue("us-east-1") String region,
        @DefaultValue("512") int maxConnections,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("8") int throttledAttempts,
        @DefaultValue("PT2M") Duration apiCallTimeout,
        @DefaultValue("PT20S") Duration apiCallAttemptTimeout,
        @DefaultValue("PT1H") Duration sessionDuration,
        @DefaultValue Map<String, Double> quotas) {

    public AwsProperties {
        // Environment variables arrive lower-cased (HUB_AWS_QUOTAS_GETKEYLASTUSAGE): match operations case-insensitively.
        Map<String, Double> normalised = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (quotas != null) {
            quotas.forEach((operation, rate) -> normalised.put(operation.toLowerCase(Locale.ROOT), rate));
        }
        quotas = normalised;
    }

    /** Requests per second the hub allows itself for an action in one account and region. */
    public double quota(SpokeAction action) {
        Double configured = quotas.get(action.operation());
        return configured != null && configured > 0 ? configured : action.defaultQuota();
    }
}
