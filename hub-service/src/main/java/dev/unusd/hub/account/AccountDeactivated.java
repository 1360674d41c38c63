package dev.unusd.hub.account;

import java.util.UUID;

/** An account was disabled or removed: whatever the hub holds for it (assumed-role credentials) can go. */
public record AccountDeactivated(UUID tenantId, UUID accountId) {
}
