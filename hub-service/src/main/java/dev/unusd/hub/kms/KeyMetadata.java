package dev.unusd.hub.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What DescribeKey says of a key, in AWS's spelling (KeyState Enabled, KeySpec SYMMETRIC_DEFAULT, ...).
 * {@code currentKeyMaterialId}: the key material in use, for keys that rotate (AWS gives it for symmetric keys with
 * material from KMS and single-Region ones with imported material); every rotation makes new material current (null
 * where AWS does not give it).
 */
public record KeyMetadata(
        String state,
        String spec,
        String keyUsage,
        String origin,
        String manager,
        boolean multiRegion,
        @Nullable String multiRegionType,
        @Nullable String primaryRegion,
        Instant createdAt,
        @Nullable Instant deletionDate,
        @Nullable String currentKeyMaterialId) {

    /**
     * The fields AWS always sends but its model leaves optional that this answer lacks (KeyManager, KeyState,
     * CreationDate), as a list for a reason; null when it has them all.
     */
    public @Nullable String missing() {
        List<String> missing = new ArrayList<>();
        if (manager == null) {
            missing.add("KeyManager");
        }
        if (state == null) {
            missing.add("KeyState");
        }
        if (createdAt == null) {
            missing.add("CreationDate");
        }
        return missing.isEmpty() ? null : String.join(", ", missing);
    }

    public boolean customerManaged() {
        return "CUSTOMER".equals(manager);
    }

    /** A multi-Region replica: its rotation is set on the primary, in {@code primaryRegion}. */
    public boolean replica() {
        return "REPLICA".equals(multiRegionType);
    }

    public boolean pendingDeletion() {
        return "PendingDeletion".equals(state);
    }

    /** Automatic rotation exists only for symmetric keys whose material KMS generated. */
    public boolean rotatable() {
        return "SYMMETRIC_DEFAULT".equals(spec) && "AWS_KMS".equals(origin);
    }

    /**
     * A symmetric key with imported key material: rotated on demand only (since 2025), to material imported for it,
     * and each of its first two rotations is billed as an automatic one is.
     */
    public boolean importedSymmetric() {
        return "SYMMETRIC_DEFAULT".equals(spec) && "EXTERNAL".equals(origin);
    }
}
