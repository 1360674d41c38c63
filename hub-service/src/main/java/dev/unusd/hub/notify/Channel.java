package dev.unusd.hub.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.rule.Severity;

/**
 * A tenant's channel as stored, its secrets still sealed. {@code accounts}: the accounts whose changes it hears of,
 * null for all.
 */
record Channel(UUID id, UUID tenantId, ChannelType type, String name, byte[] targetSealed, String targetHint,
        byte @Nullable [] secretSealed, List<String> events, Severity minSeverity, @Nullable List<UUID> accounts,
        boolean enabled, @Nullable String disabledReason, @Nullable Instant disabledAt, Instant createdAt,
        Instant updatedAt) {

    boolean subscribes(NotificationEvent event) {
        return events.contains(event.wireName());
    }
}
