package dev.unusd.hub.scan;

import java.time.Instant;
import java.util.UUID;

/**
 * A scan has ended: published inside the transaction that finalises it, so a listener's writes (the notification
 * outbox) commit with the scan's final status or not at all.
 */
public record ScanFinished(UUID tenantId, UUID scanId, ScanStatus status, Instant finishedAt) {
}
