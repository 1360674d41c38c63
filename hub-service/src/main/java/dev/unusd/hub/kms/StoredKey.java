package dev.unusd.hub.kms;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the store knows of a key from earlier scans: its state and deletion date as DescribeKey last gave them and when
 * ({@code stateReadAt}), its usage knowledge, and its rotations as last counted with the key material that was current
 * then ({@code rotationsAtKeyMaterial}, null unless ListKeyRotations confirmed it), and the newest call KMS refused
 * for the key's state that a search found, with when CloudTrail was last searched for them ({@code refusedCheckedAt}).
 */
public record StoredKey(String arn, @Nullable String state, @Nullable Instant deletionDate,
        @Nullable Instant stateReadAt, boolean removed, Usage usage, @Nullable Integer rotations,
        @Nullable String rotationsAtKeyMaterial, @Nullable RefusedUse refusedUse, @Nullable Instant refusedCheckedAt) {

    /** AWS deletes a key no sooner than 7 days after ScheduleKeyDeletion. */
    static final Duration MIN_DELETION_WAIT = Duration.ofDays(7);

    /**
     * The earliest AWS can have deleted the key, from what was read of it: any key must first wait 7 days scheduled for
     * deletion, so not before 7 days after it was seen in another state; a key seen PendingDeletion, not after its
     * deletion date unless that deletion was cancelled and a shorter one scheduled (7 days again). Null when nothing
     * bounds it: never described, or PendingReplicaDeletion (its wait starts when its last replica goes).
     */
    @Nullable Instant earliestDeletion() {
        if (removed || state == null || stateReadAt == null || "PendingReplicaDeletion".equals(state)) {
            return null;
        }
        Instant rescheduled = stateReadAt.plus(MIN_DELETION_WAIT);
        if ("PendingDeletion".equals(state)) {
            return deletionDate == null || deletionDate.isAfter(rescheduled) ? rescheduled : deletionDate;
        }
        return rescheduled;
    }

    /** Whether AWS cannot have deleted the key by {@code now}: if it answers as gone, something else is wrong. */
    boolean cannotBeDeletedBy(Instant now) {
        Instant earliest = earliestDeletion();
        return earliest != null && now.isBefore(earliest);
    }
}
