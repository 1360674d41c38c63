package dev.unusd.hub.scan;

import java.io.Serializable;
import java.util.UUID;

/**
 * What a target's task carries in the queue: enough to set the tenant context before any database work. A record,
 * so Java serialization needs no serialVersionUID to stay compatible.
 */
record TargetTaskData(UUID tenantId, UUID scanId, UUID accountId, String region) implements Serializable {

    /** Deterministic: the task table's key then holds at most one task per target of a scan. */
    String instanceId() {
        return scanId + ":" + accountId + ":" + region;
    }

    /** The target as the run of this claimed attempt scans it. */
    TargetRef ref(int attempt) {
        return new TargetRef(tenantId, scanId, accountId, region, attempt);
    }
}
