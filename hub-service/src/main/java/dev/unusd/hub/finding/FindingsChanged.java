package dev.unusd.hub.finding;

import java.util.UUID;

/** A transaction changed findings of the tenant: pages cached before it commits are out of date. */
public record FindingsChanged(UUID tenantId) {
}
