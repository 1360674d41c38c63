package dev.unusd.hub.account;

import java.util.UUID;

/**
 * The tenant removed an account: its rows, scan targets included, are deleted in the transaction this is published in
 * (before {@link AccountDeactivated}, whose listeners write last).
 */
public record AccountRemoved(UUID tenantId, UUID accountId) {
}
