package dev.unusd.hub.scan;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** One (account, region) of one scan; {@code attempt}: the claimed attempt a scan task runs, null outside one. */
public record TargetRef(UUID tenantId, UUID scanId, UUID accountId, String region, @Nullable Integer attempt) {

    /** Not a scan task's run (tools, tests): no claimed attempt to hold. */
    public TargetRef(UUID tenantId, UUID scanId, UUID accountId, String region) {
        this(tenantId, scanId, accountId, region, null);
    }
}
