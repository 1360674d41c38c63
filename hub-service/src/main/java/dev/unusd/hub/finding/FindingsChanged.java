package dev.unusd.hub.finding;

import java.util.UUID;

/**
 * A transaction changed findings (or keys, or whether a recent scan verified them) of one account of the tenant: pages
 * cached before it commits are out of date, and so are the account's figures in the summary.
 */
public record FindingsChanged(UUID tenantId, UUID accountId) {
}
