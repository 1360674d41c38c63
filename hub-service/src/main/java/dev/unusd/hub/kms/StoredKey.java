package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the store knows of a key from earlier scans: its state as DescribeKey last gave it and when ({@code stateReadAt}),
 * its usage knowledge, and its rotations as last counted with the key material that was current then
 * ({@code rotationsAtKeyMaterial}, null unless ListKeyRotations confirmed it).
 */
public record StoredKey(String arn, @Nullable String state, @Nullable Instant stateReadAt, boolean removed,
        Usage usage, @Nullable Integer rotations, @Nullable String rotationsAtKeyMaterial) {
}
