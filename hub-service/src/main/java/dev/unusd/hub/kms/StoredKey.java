package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What the store knows of a key from earlier scans: its state when last seen, and its usage knowledge. */
public record StoredKey(String arn, @Nullable String state, @Nullable Instant lastSeenAt, boolean removed,
        Usage usage) {
}
