package dev.unusd.hub.scan;

import java.util.UUID;

/** One (account, region) of one scan. */
public record TargetRef(UUID tenantId, UUID scanId, UUID accountId, String region) {
}
