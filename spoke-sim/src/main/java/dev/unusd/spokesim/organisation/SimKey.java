package dev.unusd.spokesim.organisation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.wire.AwsError;

/**
 * A key's live state: the scenario's description of it plus what changes while the simulator runs. State changes
 * refuse what KMS refuses in the key's state, with KMS's error; the caller decides whether that is an answer or a
 * fixture failure. Methods that take {@code now} read or change time-dependent state as of that simulated instant.
 */
public final class SimKey {

    /** How long a key pending deletion waits when its scenario or a forced state says nothing else. */
    static final int DEFAULT_PENDING_WINDOW_DAYS = 30;

    private final Key definition;
    private final String accountId;
    private final String region;
    private final String arn;
    private volatile SimRegion home;
    private volatile KeyState state;
    private volatile Instant deletionDate;
    private volatile int pendingWindowDays;
    private volatile KeyFaults faults;
    private final Map<String, String> tagValues;
    private volatile List<Map.Entry<String, String>> tags;
    private final List<KeyUse> uses = new ArrayList<>();
    private volatile KeyUse lastUse;
    private volatile RotationSchedule rotation;
    private volatile List<KeyRotation> rotations = List.of();
    /** Imported key material waiting for an on-demand rotation (KeyMaterialState PENDING_ROTATION). */
    private volatile boolean materialPendingRotation;
    /** The key whose rotation this one shows: itself, or the primary a replica mirrors. */
    private volatile SimKey rotationSource = this;
    private volatile MultiRegionConfiguration multiRegion;

    SimKey(Key definition, String accountId, String region) {
        this.definition = definition;
        this.accountId = accountId;
        this.region = region;
        this.arn = definition.arn(accountId, region);
        this.tagValues = new LinkedHashMap<>(definition.tags());
        this.tags = snapshot(tagValues);
        this.state = definition.state();
        boolean pending = state == KeyState.PendingDeletion || state == KeyState.PendingReplicaDeletion;
        // A pending key needs a date; a scenario without one gets a distant date it will not reach in a test.
        this.deletionDate = !pending ? null : definition.deletionDate() != null ? definition.deletionDate()
                : definition.createdAt().plus(Duration.ofDays(3650));
        this.pendingWindowDays = DEFAULT_PENDING_WINDOW_DAYS;
        this.faults = definition.faults();
        this.rotation = new RotationSchedule(definition.rotation().enabled(), definition.rotation().periodDays(),
                definition.rotation().nextRotationAt());
    }

    public String id() {
        return definition.id();
    }

    /** The scenario's description: what never changes (spec, usage, origin, manager, creation date). */
    public Key definition() {
        return definition;
    }

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    public String arn() {
        return arn;
    }

    public KeyState state() {
        return state;
    }

    /** When a key pending deletion will be deleted; null in every other state. */
    public Instant deletionDate() {
        return deletionDate;
    }

    public int pendingWindowDays() {
        return pendingWindowDays;
    }

    public KeyFaults faults() {
        return faults;
    }

    public void faults(KeyFaults newFaults) {
        this.faults = newFaults;
    }

    /** Tags in the order they were first set. */
    public List<Map.Entry<String, String>> tags() {
        return tags;
    }

    /** What GetKeyLastUsage reports, or null when no use is known since tracking started. */
    public KeyUse lastUse() {
        return lastUse;
    }

    /** Every successful cryptographic use the simulator knows of, oldest first as recorded. */
    public synchronized List<KeyUse> uses() {
        return List.copyOf(uses);
    }

    /** Null unless the key is multi-Region. */
    public MultiRegionConfiguration multiRegion() {
        return multiRegion;
    }

    /** The automatic rotation setting as of now: rotations that came due since have happened. */
    public RotationSchedule rotation(Instant now) {
        SimKey source = rotationSource;
        synchronized (source) {
            source.rotateWhenDue(now);
            return source.rotation;
        }
    }

    /** Completed rotations, oldest first, as of now. */
    public List<KeyRotation> rotations(Instant now) {
        SimKey source = rotationSource;
        synchronized (source) {
            source.rotateWhenDue(now);
            return source.rotations;
        }
    }

    /**
     * The id DescribeKey reports as CurrentKeyMaterialId, as of now: every completed rotation made new material. Only
     * for keys that have key materials ({@link Key#hasKeyMaterials()}).
     */
    public String currentKeyMaterialId(Instant now) {
        SimKey source = rotationSource;
        synchronized (source) {
            source.rotateWhenDue(now);
            return keyMaterialId(source.id(), source.rotations.size());
        }
    }

    /**
     * Every key material, oldest first, as of now: the initial one, then the one each completed rotation made, then
     * imported material pending rotation, if any (it becomes the next rotation's, so it has that one's id).
     */
    public List<KeyMaterial> keyMaterials(Instant now) {
        SimKey source = rotationSource;
        synchronized (source) {
            source.rotateWhenDue(now);
            List<KeyRotation> done = source.rotations;
            List<KeyMaterial> materials = new ArrayList<>(done.size() + 2);
            materials.add(new KeyMaterial(keyMaterialId(source.id(), 0), null, false));
            for (int i = 0; i < done.size(); i++) {
                materials.add(new KeyMaterial(keyMaterialId(source.id(), i + 1), done.get(i), false));
            }
            if (source.materialPendingRotation) {
                materials.add(new KeyMaterial(keyMaterialId(source.id(), done.size() + 1), null, true));
            }
            return materials;
        }
    }

    /**
     * Material {@code index} (0 the initial one, n the n-th rotation's) of a key: derived rather than random, so a
     * replica, whose rotation source is its primary with the same id, reports its primary's ids, and tests can compute
     * them.
     */
    public static String keyMaterialId(String keyId, int index) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((keyId + "/" + index).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * A successful cryptographic use. GetKeyLastUsage reports it when it happened at or after the region's tracking
     * start and nothing newer is known.
     */
    public synchronized void used(KeyUse use, Instant trackingStart) {
        uses.add(use);
        if (!use.at().isBefore(trackingStart) && (lastUse == null || !lastUse.at().isAfter(use.at()))) {
            lastUse = use;
        }
    }

    /** The region's tracking start moved: the last use is the newest use at or after it, if any. */
    synchronized void track(Instant trackingStart) {
        KeyUse newest = null;
        for (KeyUse use : uses) {
            if (!use.at().isBefore(trackingStart) && (newest == null || !newest.at().isAfter(use.at()))) {
                newest = use;
            }
        }
        lastUse = newest;
    }

    // What the owner's write calls change. Each refuses what KMS refuses in the key's current state.

    public synchronized void disable(Instant now) {
        requireNotPendingDeletion();
        rotateWhenDue(now);
        state = KeyState.Disabled;
    }

    /** Enabling a key whose rotation came due while it was disabled rotates it at once, as KMS does. */
    public synchronized void enable(Instant now) {
        requireNotPendingDeletion();
        state = KeyState.Enabled;
        RotationSchedule schedule = rotation;
        if (rotationSource == this && schedule.enabled() && !schedule.nextRotationAt().isAfter(now)) {
            rotations = append(rotations, new KeyRotation(now, RotationType.AUTOMATIC));
            rotation = new RotationSchedule(true, schedule.periodDays(), now.plus(Duration.ofDays(schedule.periodDays())));
        }
    }

    public void scheduleDeletion(Instant now, int windowDays) {
        synchronized (this) {
            requireNotPendingDeletion();
            rotateWhenDue(now);
            state = KeyState.PendingDeletion;
            deletionDate = now.plus(Duration.ofDays(windowDays));
            pendingWindowDays = windowDays;
        }
        deletionsChanged();
    }

    /** A cancelled deletion leaves the key disabled, as KMS does. */
    public void cancelDeletion() {
        synchronized (this) {
            if (state != KeyState.PendingDeletion) {
                throw AwsError.invalidState(arn + " is not pending deletion.");
            }
            state = KeyState.Disabled;
            deletionDate = null;
        }
        deletionsChanged();
    }

    /** Sets any state, as a fixture does; a pending state without a date gets the default window from now. */
    public void forceState(KeyState newState, Instant now) {
        synchronized (this) {
            rotateWhenDue(now);
            boolean pending = newState == KeyState.PendingDeletion || newState == KeyState.PendingReplicaDeletion;
            if (!pending) {
                deletionDate = null;
            } else if (deletionDate == null) {
                deletionDate = now.plus(Duration.ofDays(DEFAULT_PENDING_WINDOW_DAYS));
                pendingWindowDays = DEFAULT_PENDING_WINDOW_DAYS;
            }
            state = newState;
        }
        deletionsChanged();
    }

    /** Automatic rotation from now on, the first one period from now. */
    public synchronized void enableRotation(Instant now, int periodDays) {
        requireEnabled();
        rotateWhenDue(now);
        rotation = new RotationSchedule(true, periodDays, now.plus(Duration.ofDays(periodDays)));
    }

    public synchronized void disableRotation(Instant now) {
        requireEnabled();
        rotateWhenDue(now);
        rotation = RotationSchedule.OFF;
    }

    /**
     * On-demand rotation: one more rotation now; the automatic schedule stays as it was. A key with imported key
     * material rotates to the material pending rotation, which its owner imports first.
     */
    public synchronized void rotateNow(Instant now) {
        requireEnabled();
        rotateWhenDue(now);
        rotations = append(rotations, new KeyRotation(now, RotationType.ON_DEMAND));
        materialPendingRotation = false;
    }

    /**
     * ImportKeyMaterial with ImportType NEW_KEY_MATERIAL: material pending rotation until the next on-demand rotation.
     * Importing again while some is pending leaves one pending material.
     */
    public synchronized void importNewKeyMaterial() {
        requireNotPendingDeletion();
        materialPendingRotation = true;
    }

    /** Whether imported key material waits for an on-demand rotation. */
    public boolean materialPendingRotation() {
        return rotationSource.materialPendingRotation;
    }

    public synchronized void tag(String tagKey, String value) {
        requireNotPendingDeletion();
        tagValues.put(tagKey, value);
        tags = snapshot(tagValues);
    }

    public synchronized void untag(String tagKey) {
        requireNotPendingDeletion();
        tagValues.remove(tagKey);
        tags = snapshot(tagValues);
    }

    // Loading and linking.

    void joined(SimRegion region) {
        this.home = region;
    }

    boolean deletionDue(Instant now) {
        Instant date = deletionDate;
        return state == KeyState.PendingDeletion && date != null && !date.isAfter(now);
    }

    /** A use the scenario's history holds; the scenario says itself which one GetKeyLastUsage reports. */
    synchronized void loadedUse(KeyUse use) {
        uses.add(use);
    }

    void lastUse(KeyUse use) {
        this.lastUse = use;
    }

    synchronized void loadedRotations(List<KeyRotation> done) {
        this.rotations = List.copyOf(done);
    }

    /** Replicas mirror their primary's rotation. */
    void mirrorRotationOf(SimKey primary) {
        this.rotationSource = primary;
    }

    void multiRegion(MultiRegionConfiguration configuration) {
        this.multiRegion = configuration;
    }

    /**
     * Catches up on automatic rotations that came due. Called with the lock held, before any state change, so a key
     * that was disabled or pending deletion in the meantime did not rotate: KMS does not rotate such keys.
     */
    private void rotateWhenDue(Instant now) {
        RotationSchedule schedule = rotation;
        if (rotationSource != this || !schedule.enabled() || state != KeyState.Enabled
                || schedule.nextRotationAt().isAfter(now)) {
            return;
        }
        Duration period = Duration.ofDays(schedule.periodDays());
        List<KeyRotation> done = new ArrayList<>(rotations);
        Instant next = schedule.nextRotationAt();
        while (!next.isAfter(now)) {
            done.add(new KeyRotation(next, RotationType.AUTOMATIC));
            next = next.plus(period);
        }
        rotations = List.copyOf(done);
        rotation = new RotationSchedule(true, schedule.periodDays(), next);
    }

    private void requireNotPendingDeletion() {
        if (state == KeyState.PendingDeletion) {
            throw AwsError.invalidState(arn + " is pending deletion.");
        }
    }

    private void requireEnabled() {
        if (state == KeyState.Disabled) {
            throw AwsError.client("DisabledException", arn + " is disabled.");
        }
        if (state != KeyState.Enabled) {
            throw AwsError.invalidState(state == KeyState.PendingDeletion ? arn + " is pending deletion."
                    : arn + " is " + state + ".");
        }
    }

    private void deletionsChanged() {
        SimRegion region = home;
        if (region != null) {
            region.deletionsChanged();
        }
    }

    private static List<Map.Entry<String, String>> snapshot(Map<String, String> values) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(values.size());
        values.forEach((k, v) -> entries.add(Map.entry(k, v)));
        return List.copyOf(entries);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> longer = new ArrayList<>(list);
        longer.add(item);
        return List.copyOf(longer);
    }

    /** What GetKeyLastUsage reports; cloudTrailEventId and kmsRequestId tie it to the request that used the key. */
    public record KeyUse(Instant at, String operation, String cloudTrailEventId, String kmsRequestId) {
    }

    /** GetKeyRotationStatus's view: period and next date only while enabled. */
    public record RotationSchedule(boolean enabled, Integer periodDays, Instant nextRotationAt) {
        static final RotationSchedule OFF = new RotationSchedule(false, null, null);
    }

    /** One completed rotation, as ListKeyRotations lists it. */
    public record KeyRotation(Instant at, RotationType type) {
    }

    public enum RotationType { AUTOMATIC, ON_DEMAND }

    /**
     * One key material, as ListKeyRotations lists it; {@code createdBy} is null for the key's initial material and for
     * imported material {@code pendingRotation}.
     */
    public record KeyMaterial(String id, KeyRotation createdBy, boolean pendingRotation) {
    }

    public record Replica(String arn, String region) {
    }

    public record MultiRegionConfiguration(MultiRegionKeyType type, Replica primary, List<Replica> replicas) {
    }
}
