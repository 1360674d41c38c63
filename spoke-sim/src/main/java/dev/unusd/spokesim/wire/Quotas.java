package dev.unusd.spokesim.wire;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request quotas as KMS, CloudTrail and STS enforce them: a token bucket per (account, region, quota), refilled at the
 * quota's rate and holding one second's worth. The cryptographic operations share one bucket, as they do in KMS.
 */
public final class Quotas {

    private static final String CRYPTOGRAPHIC = "Cryptographic";
    private static final String STS = "STS";
    private static final Set<String> CRYPTOGRAPHIC_OPERATIONS = Set.of("Encrypt", "Decrypt", "GenerateDataKey");

    /** Default rates in requests per second (aws-facts.md). */
    private static final Map<String, Double> DEFAULT_RATES = Map.ofEntries(
            Map.entry("ListKeys", 500.0),
            Map.entry("DescribeKey", 2000.0),
            Map.entry("GetKeyRotationStatus", 1000.0),
            Map.entry("ListAliases", 500.0),
            Map.entry("ListResourceTags", 2000.0),
            Map.entry("ListKeyRotations", 100.0),
            Map.entry("GetKeyLastUsage", 5.0),
            Map.entry("LookupEvents", 2.0),
            Map.entry(CRYPTOGRAPHIC, 10000.0),
            // Organizations publishes no rate: these are the simulator's, low enough that a hub that does not pace
            // itself meets TooManyRequestsException in an organisation of a few hundred accounts.
            Map.entry("DescribeOrganization", 20.0),
            Map.entry("ListRoots", 10.0),
            Map.entry("ListOrganizationalUnitsForParent", 20.0),
            Map.entry("ListAccountsForParent", 20.0),
            Map.entry("ListAccounts", 20.0),
            Map.entry("DescribeAccount", 20.0),
            Map.entry("ListParents", 10.0),
            Map.entry("ListTagsForResource", 20.0),
            // STS: shared by every STS call of one caller.
            Map.entry(STS, 600.0));

    private final Map<BucketKey, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Double> overrides = new ConcurrentHashMap<>();
    private volatile double scale;

    public Quotas(double scale, Map<String, Double> overrides) {
        this.scale = scale;
        this.overrides.putAll(overrides);
    }

    /** The quota an operation draws from. */
    private static String quotaOf(String operation) {
        if (CRYPTOGRAPHIC_OPERATIONS.contains(operation)) {
            return CRYPTOGRAPHIC;
        }
        if (operation.equals("AssumeRole") || operation.equals("GetCallerIdentity")) {
            return STS;
        }
        return operation;
    }

    public boolean tryAcquire(String accountId, String region, String operation) {
        String quota = quotaOf(operation);
        BucketKey key = new BucketKey(accountId, region, quota);
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate(quota)));
        }
        return bucket.tryAcquire();
    }

    double rate(String quota) {
        Double override = overrides.get(quota);
        if (override != null) {
            return override;
        }
        return DEFAULT_RATES.getOrDefault(quota, 1000.0) * scale;
    }

    public void scale(double newScale) {
        this.scale = newScale;
        buckets.clear();
    }

    /** Overrides one quota (an operation name, "Cryptographic" or "STS") with an absolute rate, unscaled. */
    public void override(String quota, double perSecond) {
        overrides.put(quotaOf(quota), perSecond);
        buckets.clear();
    }

    public void clearOverrides() {
        overrides.clear();
        buckets.clear();
    }

    double scale() {
        return scale;
    }

    public Map<String, Double> effectiveRates() {
        Map<String, Double> rates = new java.util.TreeMap<>();
        DEFAULT_RATES.keySet().forEach(q -> rates.put(q, rate(q)));
        overrides.keySet().forEach(q -> rates.put(q, rate(q)));
        return rates;
    }

    private record BucketKey(String accountId, String region, String quota) {
    }

    private static final class TokenBucket {
        private final double ratePerNano;
        private final double capacity;
        private double tokens;
        private long refilledAt = System.nanoTime();

        TokenBucket(double perSecond) {
            this.ratePerNano = perSecond / 1e9;
            this.capacity = Math.max(1.0, perSecond);
            this.tokens = capacity;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerNano);
            refilledAt = now;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return true;
            }
            return false;
        }
    }
}
