package dev.unusd.hub.account;

import java.util.UUID;

/** The tenant renamed an account: whatever shows the account by name (pages of findings) is out of date. */
public record AccountRenamed(UUID tenantId, UUID accountId) {
}
