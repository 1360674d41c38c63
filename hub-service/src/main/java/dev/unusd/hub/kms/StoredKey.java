package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the store knows of a key from earlier scans: its state as DescribeKey last gave it and when ({@code stateReadAt}),
 * and its usage knowledge.
 */
public record StoredKey(String arn, @Nullable String state, @Nullable Instant stateReadAt, boolean removed,
        Usage usage) {
}
