package dev.unusd.hub.notify;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one channel. {@code eventId} is what the receiver sees (webhook-id), the same on every
 * attempt, so a receiver can drop a message it already has.
 */
record Delivery(UUID id, UUID tenantId, UUID channelId, UUID eventId, String eventType, Instant occurredAt,
        String data, Status status, int attempts, @Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt,
        @Nullable Integer lastStatusCode, @Nullable String lastError, @Nullable Instant deliveredAt,
        Instant createdAt) {

    enum Status {
        /** Waiting for its next attempt. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Given up: the receiver is gone (404/410) or kept failing; the channel was disabled. */
        FAILED,
        /** Not sent: its channel was disabled or deleted before it went out. */
        DISCARDED
    }
}
