package dev.unusd.hub.kms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.access.KeyAccess;
import dev.unusd.hub.access.KeyPolicyAndGrants;

/**
 * One key as a scan saw it. {@code metadata} is null when DescribeKey was denied for this key; {@code rotation} is
 * null when the key cannot rotate (only symmetric keys with KMS or imported key material can) or is pending deletion,
 * or when it could not be read: see {@code unknown}. {@code unknown} maps each field AWS would not tell us (metadata,
 * tags, rotation, rotations, lastUsage, usage, refusedUse, keyPolicy, grants) to the reason. {@code refusedUse}: for a
 * key pending deletion, the newest call on it in the last 30 days that KMS refused for its state (null: none, or not
 * searched; see {@code unknown}); {@code refusedCheckedAt}: when this scan searched CloudTrail for them (null: it did
 * not, and the stored search stands). {@code access}: the key policy and
 * grants as read, and who they let use or manage the key.
 */
public record KeySnapshot(
        String keyId,
        String arn,
        List<String> aliases,
        @Nullable KeyMetadata metadata,
        @Nullable Rotation rotation,
        Map<String, String> tags,
        Usage usage,
        Map<String, String> unknown,
        KeyPolicyAndGrants access,
        @Nullable RefusedUse refusedUse,
        @Nullable Instant refusedCheckedAt) {

    public static final String METADATA = "metadata";
    public static final String TAGS = "tags";
    public static final String ROTATION = "rotation";
    public static final String ROTATIONS = "rotations";
    public static final String LAST_USAGE = "lastUsage";
    public static final String USAGE = "usage";
    /** CloudTrail's calls on a key pending deletion that KMS refused: searched for keys pending deletion only. */
    public static final String REFUSED_USE = "refusedUse";
    public static final String KEY_POLICY = KeyAccess.KEY_POLICY;
    public static final String GRANTS = KeyAccess.GRANTS;

    public KeySnapshot {
        aliases = List.copyOf(aliases);
        tags = Map.copyOf(tags);
        unknown = Map.copyOf(unknown);
    }

    /** A key with no refused use searched for (not pending deletion). */
    public KeySnapshot(String keyId, String arn, List<String> aliases, @Nullable KeyMetadata metadata,
            @Nullable Rotation rotation, Map<String, String> tags, Usage usage, Map<String, String> unknown,
            KeyPolicyAndGrants access) {
        this(keyId, arn, aliases, metadata, rotation, tags, usage, unknown, access, null, null);
    }

    /** A key whose policy and grants were not read (AWS-managed, or not described). */
    public KeySnapshot(String keyId, String arn, List<String> aliases, @Nullable KeyMetadata metadata,
            @Nullable Rotation rotation, Map<String, String> tags, Usage usage, Map<String, String> unknown) {
        this(keyId, arn, aliases, metadata, rotation, tags, usage, unknown, KeyPolicyAndGrants.notRead(
                metadata == null ? "DescribeKey was withheld" : "read for customer-managed keys only"));
    }

    /** The account that owns the key, from its ARN. */
    public String awsAccountId() {
        return arn.split(":", 6)[4];
    }

    /** The region, from the ARN (arn:aws:kms:REGION:ACCOUNT:key/ID). */
    public String region() {
        return arn.split(":", 6)[3];
    }

    public boolean known(String field) {
        return !unknown.containsKey(field);
    }

    /** Customer-managed: billed, and ours to judge. Unknown (DescribeKey denied) counts as not. */
    public boolean customerManaged() {
        return metadata != null && metadata.customerManaged();
    }

    public boolean pendingDeletion() {
        return metadata != null && metadata.pendingDeletion();
    }

    public KeySnapshot withAliases(List<String> names) {
        return new KeySnapshot(keyId, arn, names, metadata, rotation, tags, usage, unknown, access, refusedUse,
                refusedCheckedAt);
    }

    /**
     * Automatic rotation as GetKeyRotationStatus reports it (off for imported key material, which rotates on demand
     * only, without asking); {@code rotations} from ListKeyRotations (null: unknown),
     * counted while {@code rotationsAtKeyMaterial} was the key's current material (null: the listing did not confirm
     * the material DescribeKey gave, so the next scan counts again).
     */
    public record Rotation(boolean enabled, @Nullable Integer periodDays, java.time.@Nullable Instant nextRotationAt,
            @Nullable Integer rotations, @Nullable String rotationsAtKeyMaterial) {
    }
}
