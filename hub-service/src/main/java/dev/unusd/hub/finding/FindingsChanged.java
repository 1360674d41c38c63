package dev.unusd.hub.finding;

import java.util.UUID;

/**
 * A transaction changed findings (or keys) of one account of the tenant: pages cached before it commits are out of
 * date, and so are the account's figures in the summary.
 */
public record FindingsChanged(UUID tenantId, UUID accountId) {
}
