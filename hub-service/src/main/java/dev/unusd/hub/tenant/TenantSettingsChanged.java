package dev.unusd.hub.tenant;

import java.util.UUID;

/**
 * Published inside the transaction that creates a tenant or changes its settings, so listeners (the scan
 * schedule) change in the same transaction or not at all.
 */
public record TenantSettingsChanged(UUID tenantId, TenantSettings settings) {
}
