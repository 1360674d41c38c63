package dev.unusd.hub.account;

import java.util.UUID;

/**
 * The tenant changed which regions scans of an account cover: the findings and keys of a region taken out are no
 * longer verified by scans, and one put back is not verified again until a scan of it ends.
 */
public record AccountRegionsChanged(UUID tenantId, UUID accountId) {
}
