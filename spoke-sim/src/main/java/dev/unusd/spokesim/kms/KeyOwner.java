package dev.unusd.spokesim.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.unusd.spokesim.KeyTruth;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.KeyUsage;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Origin;
import dev.unusd.spokesim.Scenario.Rotation;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimClock;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimKey.RotationSchedule;
import dev.unusd.spokesim.organisation.SimRegion;
import dev.unusd.spokesim.scenario.ScenarioDefaults;
import dev.unusd.spokesim.sts.Principal;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.CallContext;
import dev.unusd.spokesim.wire.Caller;
import dev.unusd.spokesim.wire.RandomIds;

/**
 * The account's owner acting on its keys from the fixture, at simulated now: cryptographic uses, and the write calls
 * the wire does not serve (CreateKey, DisableKey, ScheduleKeyDeletion, TagResource, ...). Each is a CloudTrail event
 * as AWS records it, none of them a use. A call KMS would refuse in the key's state is recorded with its errorCode
 * and throws IllegalStateException starting with that code; arguments KMS would reject throw IllegalArgumentException.
 */
public final class KeyOwner {

    private static final int MIN_PENDING_WINDOW_DAYS = 7;
    private static final int MAX_PENDING_WINDOW_DAYS = 30;
    private static final int MIN_ROTATION_DAYS = 90;
    private static final int MAX_ROTATION_DAYS = 2560;

    private final Organisation organisation;
    private final SimClock clock;

    public KeyOwner(Organisation organisation, SimClock clock) {
        this.organisation = organisation;
        this.clock = clock;
    }

    /** A symmetric encryption key, enabled, rotation off, as CreateKey makes one by default. Returns its id. */
    public String createKey(String accountId, String region, String description) {
        CallContext call = owner(accountId, region);
        Key definition = new Key(RandomIds.uuid(), KeyManager.CUSTOMER, KeyState.Enabled, "SYMMETRIC_DEFAULT",
                KeyUsage.ENCRYPT_DECRYPT, Origin.AWS_KMS, description, null, call.now(), null, Rotation.OFF, Map.of(),
                List.of(), LastUsage.NONE, List.of(), 0, KeyFaults.NONE);
        SimKey key = call.region().create(definition);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("description", description);
        parameters.put("keySpec", "SYMMETRIC_DEFAULT");
        parameters.put("keyUsage", "ENCRYPT_DECRYPT");
        parameters.put("origin", "AWS_KMS");
        call.region().events().append(call.event("CreateKey", false, key, parameters, null));
        return key.id();
    }

    /**
     * A cryptographic call on the key. Without errorCode it succeeds if the key can serve it (else it fails as KMS
     * would) and is a use; with one it is only a failed call in CloudTrail, which is not use.
     */
    public void use(String accountId, String region, String keyId, String operation, String errorCode) {
        if (!ScenarioDefaults.CRYPTOGRAPHIC_OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException(operation + " is not a cryptographic operation; one of "
                    + new java.util.TreeSet<>(ScenarioDefaults.CRYPTOGRAPHIC_OPERATIONS));
        }
        CallContext call = owner(accountId, region);
        SimKey key = key(call, keyId);
        Map<String, Object> parameters = Map.of("keyId", key.arn(), "encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        if (errorCode != null) {
            call.region().events().append(call.event(operation, true, key, parameters,
                    failure(call, key, operation, errorCode)));
            return;
        }
        try {
            KmsService.usable(key, key.definition().usage());
        } catch (AwsError error) {
            call.region().events().append(call.event(operation, true, key, parameters, error));
            throw new IllegalStateException(error.code() + ": " + error.getMessage());
        }
        KmsService.recordUse(call, key, operation, parameters);
    }

    public void disable(String accountId, String region, String keyId) {
        change(accountId, region, keyId, "DisableKey", key -> Map.of("keyId", key.arn()),
                (key, now) -> key.disable(now));
    }

    public void enable(String accountId, String region, String keyId) {
        change(accountId, region, keyId, "EnableKey", key -> Map.of("keyId", key.arn()),
                (key, now) -> key.enable(now));
    }

    public void scheduleDeletion(String accountId, String region, String keyId, int pendingWindowDays) {
        if (pendingWindowDays < MIN_PENDING_WINDOW_DAYS || pendingWindowDays > MAX_PENDING_WINDOW_DAYS) {
            throw new IllegalArgumentException("ValidationException: 1 validation error detected: Value '"
                    + pendingWindowDays + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have "
                    + "value between " + MIN_PENDING_WINDOW_DAYS + " and " + MAX_PENDING_WINDOW_DAYS);
        }
        change(accountId, region, keyId, "ScheduleKeyDeletion",
                key -> Map.of("keyId", key.arn(), "pendingWindowInDays", pendingWindowDays),
                (key, now) -> key.scheduleDeletion(now, pendingWindowDays));
    }

    public void cancelDeletion(String accountId, String region, String keyId) {
        change(accountId, region, keyId, "CancelKeyDeletion", key -> Map.of("keyId", key.arn()),
                (key, now) -> key.cancelDeletion());
    }

    /** EnableKeyRotation (period 90-2560 days, default 365) or DisableKeyRotation; only on a primary or single key. */
    public void setRotation(String accountId, String region, String keyId, boolean enabled, Integer periodDays) {
        int period = periodDays == null ? ScenarioDefaults.DEFAULT_ROTATION_DAYS : periodDays;
        if (enabled && (period < MIN_ROTATION_DAYS || period > MAX_ROTATION_DAYS)) {
            throw new IllegalArgumentException("ValidationException: 1 validation error detected: Value '" + period
                    + "' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between "
                    + MIN_ROTATION_DAYS + " and " + MAX_ROTATION_DAYS);
        }
        change(accountId, region, keyId, enabled ? "EnableKeyRotation" : "DisableKeyRotation",
                key -> enabled ? Map.of("keyId", key.arn(), "rotationPeriodInDays", period) : Map.of("keyId", key.arn()),
                (key, now) -> {
                    if (!key.definition().rotatable()) {
                        throw KmsService.unsupported(key);
                    }
                    requirePrimaryOrSingle(key);
                    if (enabled) {
                        key.enableRotation(now, period);
                    } else {
                        key.disableRotation(now);
                    }
                });
    }

    /**
     * RotateKeyOnDemand: one more rotation now. A key with imported key material rotates to material imported for it:
     * when none is pending, its owner imports some first ({@link #importNewKeyMaterial}), as KMS requires.
     */
    public void rotateNow(String accountId, String region, String keyId) {
        SimKey target = key(owner(accountId, region), keyId);
        if (target.definition().importedSymmetric() && !target.materialPendingRotation()) {
            importNewKeyMaterial(accountId, region, keyId);
        }
        change(accountId, region, keyId, "RotateKeyOnDemand", key -> Map.of("keyId", key.arn()), (key, now) -> {
            requireRotatesOnDemand(key);
            key.rotateNow(now);
        });
    }

    /**
     * ImportKeyMaterial with ImportType NEW_KEY_MATERIAL into a symmetric key with imported key material: the new
     * material is PENDING_ROTATION until the next on-demand rotation makes it current.
     */
    public void importNewKeyMaterial(String accountId, String region, String keyId) {
        change(accountId, region, keyId, "ImportKeyMaterial",
                key -> Map.of("keyId", key.arn(), "importType", "NEW_KEY_MATERIAL"), (key, now) -> {
                    if (!key.definition().importedSymmetric()) {
                        throw KmsService.unsupported(key);
                    }
                    requirePrimaryOrSingle(key);
                    key.importNewKeyMaterial();
                });
    }

    public void tag(String accountId, String region, String keyId, String tagKey, String value) {
        change(accountId, region, keyId, "TagResource",
                key -> Map.of("keyId", key.arn(), "tags", List.of(Map.of("tagKey", tagKey, "tagValue", value))),
                (key, now) -> key.tag(tagKey, value));
    }

    public void untag(String accountId, String region, String keyId, String tagKey) {
        change(accountId, region, keyId, "UntagResource", key -> Map.of("keyId", key.arn(), "tagKeys", List.of(tagKey)),
                (key, now) -> key.untag(tagKey));
    }

    /** The key is deleted now, as when its waiting period ends: KMS records DeleteKey. */
    public void deleteNow(String accountId, String region, String keyId) {
        CallContext call = owner(accountId, region);
        SimKey key = key(call, keyId);
        requireCustomerManaged(key);
        call.region().delete(key, call.now());
    }

    public void setTrackingStartDate(String accountId, String region, Instant at) {
        owner(accountId, region).region().trackingStartDate(at);
    }

    /** The keys that exist now in the region, in ListKeys order. */
    public List<KeyTruth> keys(String accountId, String region) {
        CallContext call = owner(accountId, region);
        List<KeyTruth> keys = new ArrayList<>();
        for (SimKey key : call.region().keys()) {
            RotationSchedule rotation = key.rotation(call.now());
            boolean rotates = rotation.enabled() && key.definition().rotatable();
            Map<String, String> tags = new LinkedHashMap<>();
            key.tags().forEach(t -> tags.put(t.getKey(), t.getValue()));
            List<KeyTruth.Use> uses = key.uses().stream()
                    .sorted(Comparator.comparing(SimKey.KeyUse::at))
                    .map(u -> new KeyTruth.Use(u.at(), u.operation(), u.cloudTrailEventId())).toList();
            keys.add(new KeyTruth(key.id(), key.arn(), key.definition().manager(), key.state(),
                    key.definition().createdAt(), key.deletionDate(), tags, rotates,
                    rotates ? rotation.periodDays() : null, key.rotations(call.now()).size(), uses));
        }
        return keys;
    }

    /** Resolves the key as a fixture does: a key that does not exist (any more) is a mistake in the test. */
    public SimKey key(String accountId, String region, String keyId) {
        return key(owner(accountId, region), keyId);
    }

    private void change(String accountId, String region, String keyId, String eventName,
            Function<SimKey, Map<String, Object>> parameters, BiConsumer<SimKey, Instant> change) {
        CallContext call = owner(accountId, region);
        SimKey key = key(call, keyId);
        requireCustomerManaged(key);
        try {
            change.accept(key, call.now());
        } catch (AwsError error) {
            call.region().events().append(call.event(eventName, false, key, parameters.apply(key), error));
            throw new IllegalStateException(error.code() + ": " + error.getMessage());
        }
        call.region().events().append(call.event(eventName, false, key, parameters.apply(key), null));
    }

    /** A call by the owner at simulated now, after the deletions that came due by then. */
    private CallContext owner(String accountId, String region) {
        SimAccount account = organisation.account(accountId);
        SimRegion simRegion = account.region(region);
        Instant now = clock.now();
        simRegion.completeDeletions(now);
        return new CallContext(new Caller(Principal.owner(accountId), Principal.OWNER_KEY_PREFIX + accountId, true),
                account, simRegion, RandomIds.uuid(), now);
    }

    private static SimKey key(CallContext call, String keyId) {
        try {
            return call.region().resolve(keyId);
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** AWS managed keys belong to the services that use them: their owner cannot change them. */
    private static void requireCustomerManaged(SimKey key) {
        if (key.definition().manager() != KeyManager.CUSTOMER) {
            throw new IllegalArgumentException(key.arn() + " is an AWS managed key: its owner cannot change it");
        }
    }

    /** Symmetric keys rotate on demand, with key material from KMS or imported. */
    private static void requireRotatesOnDemand(SimKey key) {
        if (!key.definition().hasKeyMaterials()) {
            throw KmsService.unsupported(key);
        }
        requirePrimaryOrSingle(key);
    }

    private static void requirePrimaryOrSingle(SimKey key) {
        if (key.multiRegion() != null && key.multiRegion().type() == MultiRegionKeyType.REPLICA) {
            throw AwsError.client("UnsupportedOperationException", key.arn()
                    + " is a multi-Region replica key: rotation is set on its primary key.");
        }
    }

    private static AwsError failure(CallContext call, SimKey key, String operation, String errorCode) {
        return switch (errorCode) {
            case "AccessDeniedException" -> call.keyPolicyDenies("kms:" + operation, key.arn());
            case "DisabledException" -> AwsError.client(errorCode, key.arn() + " is disabled.");
            case "KMSInvalidStateException" -> AwsError.invalidState(key.arn() + " is " + key.state() + ".");
            default -> AwsError.client(errorCode, errorCode);
        };
    }
}
