package dev.unusd.hub.kms;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A cryptographic call on a key that KMS refused because of the key's state ({@code DisabledException},
 * {@code KMSInvalidStateException}): no use, but proof that something still depends on the key. AWS's advice before a
 * key is deleted is to watch CloudTrail for exactly these.
 */
public record RefusedUse(Instant at, String operation, String errorCode, @Nullable String cloudTrailEventId) {
}
