package dev.unusd.hub.account;

import java.util.UUID;

/** A sync brought back an account it had deactivated: its findings are no longer marked deactivated. */
public record AccountReactivated(UUID tenantId, UUID accountId) {
}
