package dev.unusd.spokesim;

/**
 * A change to the injected faults, as {@code POST /_sim/faults} takes it. Set only what changes; the scope fields say
 * where: accountId + region (+ keyId) for region and key faults, operation for a 5xx rate or a quota, accountId for
 * latency, accountId + operation for a 5xx rate of one account and for throttled (every call of the operation in the
 * account answers ThrottlingException). Without accountId, serverErrorRate and latencyMs are global.
 */
public record FaultChange(
        String accountId,
        String region,
        String keyId,
        String operation,
        Boolean regionEnabled,
        Boolean cloudTrailDenied,
        Boolean denyDescribeKey,
        Boolean denyGetKeyLastUsage,
        Boolean getKeyLastUsageUnsupported,
        Boolean rotationsLag,
        Boolean omitTrackingStartDate,
        Boolean omitLastUsageTimestamp,
        Boolean omitKeyManager,
        Double serverErrorRate,
        Boolean throttled,
        Long latencyMs,
        Double quotaScale,
        Double quotaPerSecond,
        Scenario.RotationStatusForUnsupported rotationStatusForUnsupported) {
}
