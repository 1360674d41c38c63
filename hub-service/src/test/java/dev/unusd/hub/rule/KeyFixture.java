package dev.unusd.hub.rule;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsageSource;
import dev.unusd.hub.kms.UsageSpans;
import dev.unusd.hub.kms.UsageStatus;

/** Plain key snapshots for rule tests: a customer-managed symmetric key, a year old, then changed with withers. */
record KeyFixture(String state, String spec, String origin, String manager, String multiRegionType, Instant createdAt,
        KeySnapshot.Rotation rotation, Map<String, String> tags, Usage usage, Map<String, String> unknown,
        boolean described) {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String REGION = "eu-west-1";

    static KeyFixture customerKey() {
        return new KeyFixture("Enabled", "SYMMETRIC_DEFAULT", "AWS_KMS", "CUSTOMER", null, daysAgo(365),
                new KeySnapshot.Rotation(false, null, null, 0, null), Map.of(), usedDaysAgo(3), Map.of(), true);
    }

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    static Usage usedDaysAgo(long days) {
        return usedDaysAgo(days, 90);
    }

    /** Last used {@code days} ago, as the resolver reports it against the tenant's unusedDays. */
    static Usage usedDaysAgo(long days, int unusedDays) {
        Usage.LastUse use = new Usage.LastUse(daysAgo(days), "Decrypt", UsageSource.KMS_LAST_USAGE, "event-1");
        return new Usage(days <= unusedDays ? UsageStatus.USED : UsageStatus.UNUSED, use, UsageSpans.of(use.at(), NOW), NOW);
    }

    static Usage neverUsed() {
        return new Usage(UsageStatus.UNUSED, null, UsageSpans.of(daysAgo(365), NOW), NOW);
    }

    KeyFixture state(String newState) {
        return new KeyFixture(newState, spec, origin, manager, multiRegionType, createdAt, rotation, tags, usage, unknown,
                described);
    }

    KeyFixture spec(String newSpec) {
        return new KeyFixture(state, newSpec, origin, manager, multiRegionType, createdAt,
                newSpec.equals("SYMMETRIC_DEFAULT") ? rotation : null, tags, usage, unknown, described);
    }

    KeyFixture origin(String newOrigin) {
        return new KeyFixture(state, spec, newOrigin, manager, multiRegionType, createdAt,
                newOrigin.equals("AWS_KMS") ? rotation : null, tags, usage, unknown, described);
    }

    KeyFixture awsManaged() {
        return new KeyFixture(state, spec, origin, "AWS", multiRegionType, createdAt,
                new KeySnapshot.Rotation(true, 365, daysAgo(-30), 2, null), tags, Usage.unknown(null), unknown, described);
    }

    KeyFixture replica() {
        return new KeyFixture(state, spec, origin, manager, "REPLICA", createdAt, rotation, tags, usage, unknown,
                described);
    }

    KeyFixture created(Instant at) {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, at, rotation, tags, usage, unknown,
                described);
    }

    KeyFixture rotation(boolean enabled, Integer periodDays, int rotations) {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt,
                new KeySnapshot.Rotation(enabled, periodDays, enabled ? daysAgo(-10) : null, rotations, null), tags, usage,
                unknown, described);
    }

    /** Rotation read, its rotations not counted (ListKeyRotations denied). */
    KeyFixture rotationsUncounted() {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt,
                new KeySnapshot.Rotation(true, 365, daysAgo(-10), null, null), tags, usage, unknown, described)
                .unknown(KeySnapshot.ROTATIONS, "AccessDeniedException: not authorized to perform kms:ListKeyRotations");
    }

    KeyFixture noRotation() {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt, null, tags, usage, unknown,
                described);
    }

    KeyFixture tags(Map<String, String> newTags) {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt, rotation, newTags, usage,
                unknown, described);
    }

    KeyFixture usage(Usage newUsage) {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt, rotation, tags, newUsage,
                unknown, described);
    }

    KeyFixture unknown(String field, String reason) {
        Map<String, String> more = new HashMap<>(unknown);
        more.put(field, reason);
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt, rotation, tags, usage, more,
                described);
    }

    /** DescribeKey denied by the key policy: nothing but the id is known. */
    KeyFixture undescribed() {
        return new KeyFixture(state, spec, origin, manager, multiRegionType, createdAt, null, Map.of(),
                Usage.unknown(null), Map.of(KeySnapshot.METADATA, "AccessDeniedException: explicit deny"), false);
    }

    KeySnapshot snapshot() {
        KeyMetadata metadata = !described ? null : new KeyMetadata(state, spec,
                spec.startsWith("HMAC") ? "GENERATE_VERIFY_MAC" : "ENCRYPT_DECRYPT", origin, manager,
                multiRegionType != null, multiRegionType, multiRegionType == null ? null : "us-east-1", createdAt,
                state.equals("PendingDeletion") ? daysAgo(-7) : null, null);
        return new KeySnapshot(KEY_ID, "arn:aws:kms:" + REGION + ":123456789012:key/" + KEY_ID, List.of("alias/app"),
                metadata, rotation, tags, usage, unknown);
    }
}
