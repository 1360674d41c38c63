package dev.unusd.hub.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.unusd.hub.access.Grant;
import dev.unusd.hub.access.KeyPolicyAndGrants;
import dev.unusd.hub.aws.SpokeAction;
import dev.unusd.hub.aws.SpokeException;
import dev.unusd.hub.aws.SpokeFailure;
import dev.unusd.hub.aws.SpokeRegion;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyMaterialState;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Collects a region's snapshot: ListKeys (every page), then per key DescribeKey and, for customer-managed keys, tags,
 * rotation, usage, key policy and grants, while ListAliases is read once for the region. Keys are inspected a few at a
 * time; each call waits for its operation's pace, so parallel keys never exceed a quota. AWS-managed keys are described only: they are
 * counted, never flagged, and their usage is not asked (it would spend the 5/s GetKeyLastUsage quota on keys we never
 * judge).
 */
@Component
public class KeyInventory {

    private static final java.util.regex.Pattern ACCOUNT_ID = java.util.regex.Pattern.compile("\\d{12}");

    private final UsageResolver usageResolver;
    private final KmsProperties properties;

    KeyInventory(UsageResolver usageResolver, KmsProperties properties) {
        this.usageResolver = usageResolver;
        this.properties = properties;
    }

    /** {@code stored} holds what earlier scans knew of each key, by key id. */
    public RegionSnapshot collect(SpokeRegion region, Map<String, StoredKey> stored, UsagePolicy policy) {
        List<KeyListEntry> keys = listKeys(region);
        keys.addAll(unlistedButPresent(region, keys, stored, policy));
        UsageResolver.RegionUsage calls = new UsageResolver.RegionUsage(keys.size());
        int threads = Math.max(1, Math.min(properties.keyConcurrency(), keys.size()));
        // Virtual threads: a key waiting for its operation's permit or for AWS holds no platform thread, and starting
        // them costs next to nothing, so a region with one key pays for no pool.
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofVirtual().name("kms-" + region.region() + "-", 1).factory());
        try {
            List<Future<CompletableFuture<@Nullable KeySnapshot>>> inspections = new ArrayList<>(keys.size());
            for (KeyListEntry key : keys) {
                inspections.add(pool.submit(() -> inspect(region, key, stored.get(key.keyId()), policy, calls)));
            }
            // The aliases are read while the keys are inspected: usage, the region's pace, starts a call sooner. A
            // region without keys (most of an organisation's) has nothing to name: one call fewer per such target.
            Map<String, List<String>> aliases = keys.isEmpty() ? Map.of() : aliasesByKey(region);
            List<KeySnapshot> snapshots = new ArrayList<>(keys.size());
            for (Future<CompletableFuture<@Nullable KeySnapshot>> inspection : inspections) {
                // A key waiting for its region's gap sweep is finished by the thread that ran the sweep.
                KeySnapshot snapshot = await(await(inspection));
                if (snapshot != null) {
                    snapshots.add(snapshot.withAliases(aliases.getOrDefault(snapshot.keyId(), List.of())));
                }
            }
            return new RegionSnapshot(region.awsAccountId(), region.region(), policy.now(), snapshots,
                    new RegionSnapshot.CallCount(calls.getKeyLastUsage(), calls.lookupEvents(), calls.paths()));
        } finally {
            pool.shutdownNow();
        }
    }

    private List<KeyListEntry> listKeys(SpokeRegion region) {
        List<KeyListEntry> keys = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListKeysResponse page = region.call(SpokeAction.LIST_KEYS, () -> region.kms().listKeys(r -> r
                    .limit(properties.pageSizes().listKeys()).marker(from)));
            keys.addAll(page.keys());
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        String own = "arn:aws:kms:" + region.region() + ":" + region.awsAccountId() + ":key/";
        for (KeyListEntry key : keys) {
            if (key.keyArn() == null || !key.keyArn().startsWith(own)) {
                throw new SpokeException(new SpokeFailure(SpokeFailure.Kind.ACCOUNT_MISMATCH, "ListKeys in "
                        + region.region() + " answered key " + key.keyArn() + ", which is not of account "
                        + region.awsAccountId() + ": nothing was changed"), new IllegalStateException(key.keyArn()));
            }
        }
        return keys;
    }

    /**
     * ListKeys leaving out a key AWS cannot have deleted yet ({@link StoredKey#earliestDeletion()}) is checked with
     * DescribeKey before anything is resolved: a key that answers was only missed by the listing and is inspected; one
     * that does not fails the target.
     */
    private List<KeyListEntry> unlistedButPresent(SpokeRegion region, List<KeyListEntry> listed,
            Map<String, StoredKey> stored, UsagePolicy policy) {
        Set<String> ids = new HashSet<>();
        listed.forEach(k -> ids.add(k.keyId()));
        List<KeyListEntry> missed = new ArrayList<>();
        for (Map.Entry<String, StoredKey> entry : new TreeMap<>(stored).entrySet()) {
            StoredKey key = entry.getValue();
            if (ids.contains(entry.getKey()) || !key.cannotBeDeletedBy(policy.now())) {
                continue;
            }
            try {
                describe(region, key.arn());
                missed.add(KeyListEntry.builder().keyId(entry.getKey()).keyArn(key.arn()).build());
            } catch (AwsServiceException e) {
                SpokeFailure.rethrowIfTargetWide(e);
                throw notDeletedYet(key, "ListKeys no longer lists it, and DescribeKey answered", e);
            }
        }
        return missed;
    }

    private static SpokeException notDeletedYet(StoredKey key, String what, AwsServiceException e) {
        return new SpokeException(new SpokeFailure(SpokeFailure.Kind.INVENTORY_INCOMPLETE, key.arn() + " was "
                + key.state() + " on " + key.stateReadAt() + ": AWS cannot delete it before "
                + key.earliestDeletion() + ". " + what + " " + SpokeFailure.describe(e) + ", so nothing was resolved"),
                e);
    }

    /** Alias names by the key they point to; AWS's predefined aliases without a key are dropped. */
    private Map<String, List<String>> aliasesByKey(SpokeRegion region) {
        Map<String, List<String>> aliases = new TreeMap<>();
        String marker = null;
        do {
            String from = marker;
            ListAliasesResponse page = region.call(SpokeAction.LIST_ALIASES, () -> region.kms().listAliases(r -> r
                    .limit(properties.pageSizes().listAliases()).marker(from)));
            for (AliasListEntry alias : page.aliases()) {
                if (alias.targetKeyId() != null) {
                    aliases.computeIfAbsent(alias.targetKeyId(), k -> new ArrayList<>()).add(alias.aliasName());
                }
            }
            marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
        } while (marker != null);
        aliases.values().forEach(names -> names.sort(null));
        return aliases;
    }

    /**
     * One key's snapshot, or null when it disappeared between ListKeys and DescribeKey; complete once its usage is
     * (at once, unless the key waits for its region's gap sweep). {@code stored}: what earlier scans knew of it.
     */
    private CompletableFuture<@Nullable KeySnapshot> inspect(SpokeRegion region, KeyListEntry key,
            @Nullable StoredKey stored, UsagePolicy policy, UsageResolver.RegionUsage calls) {
        String arn = Objects.requireNonNull(key.keyArn());
        Usage previous = stored == null ? null : stored.usage();
        Map<String, String> unknown = new LinkedHashMap<>();
        KeyMetadata metadata;
        try {
            metadata = describe(region, arn);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            if ("NotFoundException".equals(SpokeFailure.code(e))) {
                // Deleted since ListKeys answered, unless AWS cannot have deleted it yet.
                if (stored != null && stored.cannotBeDeletedBy(policy.now())) {
                    throw notDeletedYet(stored, "ListKeys lists it, but DescribeKey answered", e);
                }
                return CompletableFuture.completedFuture(null);
            }
            // A key policy may deny DescribeKey for this one key: everything else about it stays unknown too.
            unknown.put(KeySnapshot.METADATA, SpokeFailure.describe(e));
            return CompletableFuture.completedFuture(new KeySnapshot(key.keyId(), arn, List.of(), null, null, Map.of(),
                    Usage.unknown(previous), unknown));
        }
        String missing = metadata.missing();
        if (missing != null) {
            // Who manages the key (so whether it is billed and ours to judge), its state or its age: without them no
            // verdict or cost would be true, so the key is as unknown as if DescribeKey had been denied.
            unknown.put(KeySnapshot.METADATA, "DescribeKey answered without " + missing);
            return CompletableFuture.completedFuture(new KeySnapshot(key.keyId(), arn, List.of(), null, null, Map.of(),
                    Usage.unknown(previous), unknown));
        }
        if (!metadata.customerManaged()) {
            return CompletableFuture.completedFuture(new KeySnapshot(key.keyId(), arn, List.of(), metadata, null,
                    Map.of(), Usage.unknown(null), unknown));
        }
        // Usage first: GetKeyLastUsage (5/s) paces the whole region, so it should start as early as it can; the
        // calls with generous quotas fill the time each key waits for its permit. Its unknowns have a map of their
        // own: a key waiting for the gap sweep gets them from the sweep's thread.
        Map<String, String> usageUnknown = new LinkedHashMap<>();
        CompletableFuture<Usage> usage = usageResolver.resolve(region, arn, metadata, previous, policy, usageUnknown,
                calls);
        Map<String, String> tags = tags(region, arn, unknown);
        KeySnapshot.Rotation rotation = metadata.rotatable() ? rotation(region, arn, metadata, stored, unknown)
                : metadata.importedSymmetric() ? importedRotation(region, arn, metadata, stored, unknown) : null;
        KeyPolicyAndGrants access = access(region, arn, unknown);
        return usage.thenApply(answer -> {
            // Asked only where a use in PENDING_DELETION_IN_USE's window does not already decide it.
            Refused refused = metadata.pendingDeletion() && !Boolean.TRUE.equals(answer.usedSince(
                    UsagePolicy.since(policy.now(), UsagePolicy.PENDING_DELETION_WINDOW_DAYS), metadata.createdAt(),
                    policy.now())) ? refusedUse(region, arn, policy, stored, unknown, calls) : Refused.NOT_SEARCHED;
            Map<String, String> all = new LinkedHashMap<>(usageUnknown);
            all.putAll(unknown);
            return new KeySnapshot(key.keyId(), arn, List.of(), metadata, rotation, tags, answer, all, access,
                    refused.use(), refused.checkedAt());
        });
    }

    /**
     * A key pending deletion can no longer be used, so no new use will show that something depends on it: the calls
     * KMS refuses do (AWS's advice: watch CloudTrail for them before a key is deleted). The newest one of the last 30
     * days, PENDING_DELETION_IN_USE's window; CloudTrail refusing leaves it unknown. As the usage search keeps its
     * spans, what an earlier search found stands for the time it searched, up to shortly before it ran (a late
     * CloudTrail event is searched again): only the time since is searched, not the key's whole 30 days of events, the
     * hub's own reads of the key among them, again.
     */
    private Refused refusedUse(SpokeRegion region, String arn, UsagePolicy policy, @Nullable StoredKey stored,
            Map<String, String> unknown, UsageResolver.RegionUsage calls) {
        Instant now = policy.now();
        Instant since = UsagePolicy.since(now, UsagePolicy.PENDING_DELETION_WINDOW_DAYS);
        RefusedUse known = stored == null || stored.refusedUse() == null || stored.refusedUse().at().isBefore(since)
                ? null : stored.refusedUse();
        Instant searchedTo = stored == null || stored.refusedCheckedAt() == null ? null
                : stored.refusedCheckedAt().minus(UsageResolver.DELIVERY_LAG);
        Instant from = searchedTo == null || searchedTo.isBefore(since) ? since : searchedTo;
        try {
            RefusedUse found = usageResolver.newestRefusedUse(region, arn, from, now, calls).orElse(null);
            return new Refused(found == null || known != null && known.at().isAfter(found.at()) ? known : found, now);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.REFUSED_USE, SpokeFailure.describe(e));
            return new Refused(known, null);
        }
    }

    /** A key's refused calls as this scan knows them, and when it searched CloudTrail for them (null: it did not). */
    private record Refused(@Nullable RefusedUse use, @Nullable Instant checkedAt) {
        static final Refused NOT_SEARCHED = new Refused(null, null);
    }

    private KeyMetadata describe(SpokeRegion region, String arn) {
        var m = region.call(SpokeAction.DESCRIBE_KEY, () -> region.kms().describeKey(r -> r.keyId(arn))).keyMetadata();
        var multiRegion = m.multiRegionConfiguration();
        String multiRegionType = multiRegion == null ? null : multiRegion.multiRegionKeyTypeAsString();
        String primaryRegion = multiRegion == null || multiRegion.primaryKey() == null ? null
                : multiRegion.primaryKey().region();
        return new KeyMetadata(m.keyStateAsString(), m.keySpecAsString(), m.keyUsageAsString(), m.originAsString(),
                m.keyManagerAsString(), Boolean.TRUE.equals(m.multiRegion()), multiRegionType, primaryRegion,
                m.creationDate(), m.deletionDate(), m.currentKeyMaterialId());
    }

    private Map<String, String> tags(SpokeRegion region, String arn, Map<String, String> unknown) {
        Map<String, String> tags = new TreeMap<>();
        String marker = null;
        try {
            do {
                String from = marker;
                ListResourceTagsResponse page = region.call(SpokeAction.LIST_RESOURCE_TAGS, () -> region.kms()
                        .listResourceTags(r -> r.keyId(arn).limit(properties.pageSizes().listResourceTags()).marker(from)));
                for (Tag tag : page.tags()) {
                    tags.put(tag.tagKey(), tag.tagValue());
                }
                marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
            } while (marker != null);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.TAGS, SpokeFailure.describe(e));
            return Map.of();
        }
        return tags;
    }

    /**
     * Rotation of a SYMMETRIC_DEFAULT + AWS_KMS key. AWS has answered both UnsupportedOperationException and
     * {@code false} for keys that cannot rotate, and KMSInvalidStateException for keys pending deletion: rotation
     * then does not apply (null), which is not a denial. KMSInvalidStateException in any other state (a multi-Region
     * key Creating or Updating) hides a rotation that does apply: unknown, so its findings stand and its cost is
     * not guessed.
     */
    private KeySnapshot.@Nullable Rotation rotation(SpokeRegion region, String arn, KeyMetadata metadata,
            @Nullable StoredKey stored, Map<String, String> unknown) {
        GetKeyRotationStatusResponse status;
        try {
            status = region.call(SpokeAction.GET_KEY_ROTATION_STATUS,
                    () -> region.kms().getKeyRotationStatus(r -> r.keyId(arn)));
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            String code = SpokeFailure.code(e);
            boolean doesNotApply = code.equals("UnsupportedOperationException")
                    || code.equals("KMSInvalidStateException") && metadata.pendingDeletion();
            if (!doesNotApply) {
                unknown.put(KeySnapshot.ROTATION, SpokeFailure.describe(e));
            }
            return null;
        }
        boolean enabled = Boolean.TRUE.equals(status.keyRotationEnabled());
        Rotations counted = counted(region, arn, metadata, stored, unknown);
        return new KeySnapshot.Rotation(enabled, enabled ? status.rotationPeriodInDays() : null,
                enabled ? status.nextRotationDate() : null, counted.count(), counted.confirmedCurrent());
    }

    /**
     * Rotation of a SYMMETRIC_DEFAULT + EXTERNAL key (imported key material): on demand only, so there is no automatic
     * rotation to ask GetKeyRotationStatus about (its findings are for AWS_KMS keys), but each of the first two
     * rotations costs $1 a month as for any key. A key pending deletion costs nothing: it is not listed, as an AWS_KMS
     * key pending deletion is not. AWS names no current material of a multi-Region one: it is listed at every scan.
     */
    private KeySnapshot.@Nullable Rotation importedRotation(SpokeRegion region, String arn, KeyMetadata metadata,
            @Nullable StoredKey stored, Map<String, String> unknown) {
        if (metadata.pendingDeletion()) {
            return null;
        }
        Rotations counted = counted(region, arn, metadata, stored, unknown);
        return new KeySnapshot.Rotation(false, null, null, counted.count(), counted.confirmedCurrent());
    }

    /**
     * The stored count while DescribeKey still gives the material it was confirmed at, else a fresh count. Every
     * rotation, automatic or on demand, of KMS or imported material, makes new key material current: the same current
     * material means no rotation since. Importing material for a rotation (NEW_KEY_MATERIAL) does not change it, and
     * is no rotation either.
     */
    private Rotations counted(SpokeRegion region, String arn, KeyMetadata metadata, @Nullable StoredKey stored,
            Map<String, String> unknown) {
        String current = metadata.currentKeyMaterialId();
        if (current != null && stored != null && stored.rotations() != null
                && current.equals(stored.rotationsAtKeyMaterial())) {
            return new Rotations(stored.rotations(), current);
        }
        return rotations(region, arn, current, unknown);
    }

    /**
     * Completed rotations (automatic or on demand; each of the first two adds $1 a month) from every key material
     * ListKeyRotations lists, or an unknown count when it is withheld. Only a completed rotation has a RotationDate:
     * the first material (KMS's, or the first one imported) has none, nor has imported material still waiting for its
     * rotation (PENDING_ROTATION, PENDING_MULTI_REGION_IMPORT_AND_ROTATION), which AWS does not yet bind to the key.
     * Material rotated to and later deleted or expired (ImportState PENDING_IMPORT) still counts: the rotation happened.
     * {@code confirmedCurrent} is the material DescribeKey gave when the listing shows it as CURRENT; otherwise null:
     * one of the two answers lags a rotation (KMS is eventually consistent), and pairing them would keep a wrong count
     * until the next rotation.
     */
    private Rotations rotations(SpokeRegion region, String arn, @Nullable String current, Map<String, String> unknown) {
        int count = 0;
        boolean confirmed = false;
        String marker = null;
        try {
            do {
                String from = marker;
                ListKeyRotationsResponse page = region.call(SpokeAction.LIST_KEY_ROTATIONS, () -> region.kms()
                        .listKeyRotations(r -> r.keyId(arn).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL)
                                .limit(properties.pageSizes().listKeyRotations()).marker(from)));
                for (RotationsListEntry material : page.rotations()) {
                    if (material.rotationDate() != null && !pendingRotation(material)) {
                        count++;
                    }
                    if (current != null && current.equals(material.keyMaterialId())
                            && material.keyMaterialState() == KeyMaterialState.CURRENT) {
                        confirmed = true;
                    }
                }
                marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
            } while (marker != null);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.ROTATIONS, SpokeFailure.describe(e));
            return new Rotations(null, null);
        }
        return new Rotations(count, confirmed ? current : null);
    }

    /** Imported for a rotation that has not happened: no rotation, whatever else the listing says of it. */
    private static boolean pendingRotation(RotationsListEntry material) {
        return material.keyMaterialState() == KeyMaterialState.PENDING_ROTATION
                || material.keyMaterialState() == KeyMaterialState.PENDING_MULTI_REGION_IMPORT_AND_ROTATION;
    }

    /** {@code count} null: ListKeyRotations was withheld (the reason is in the key's unknowns). */
    private record Rotations(@Nullable Integer count, @Nullable String confirmedCurrent) {
    }

    /**
     * The key policy (its only name is {@code default}) and every grant, read at every scan: KMS offers no version or
     * change date that would prove them unchanged. A denial (a spoke role older than these permissions, or a key
     * policy that withholds them) leaves that part unknown for this key, with AWS's reason.
     */
    private KeyPolicyAndGrants access(SpokeRegion region, String arn, Map<String, String> unknown) {
        String policy = null;
        try {
            policy = region.call(SpokeAction.GET_KEY_POLICY, () -> region.kms()
                    .getKeyPolicy(r -> r.keyId(arn).policyName("default"))).policy();
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.KEY_POLICY, SpokeFailure.describe(e));
        }
        List<Grant> grants = new ArrayList<>();
        String marker = null;
        try {
            do {
                String from = marker;
                ListGrantsResponse page = region.call(SpokeAction.LIST_GRANTS, () -> region.kms()
                        .listGrants(r -> r.keyId(arn).limit(properties.pageSizes().listGrants()).marker(from)));
                for (GrantListEntry grant : page.grants()) {
                    grants.add(new Grant(grant.grantId(), grant.name(), String.valueOf(grant.granteePrincipal()),
                            grant.retiringPrincipal(), grant.operationsAsStrings(), account(grant.issuingAccount()),
                            grant.constraints() != null && (!grant.constraints().encryptionContextEquals().isEmpty()
                                    || !grant.constraints().encryptionContextSubset().isEmpty())));
                }
                marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
            } while (marker != null);
        } catch (AwsServiceException e) {
            SpokeFailure.rethrowIfTargetWide(e);
            unknown.put(KeySnapshot.GRANTS, SpokeFailure.describe(e));
            grants = null;
        }
        return KeyPolicyAndGrants.read(policy, unknown.get(KeySnapshot.KEY_POLICY), grants,
                unknown.get(KeySnapshot.GRANTS));
    }

    /** ListGrants gives IssuingAccount as an account ARN (arn:aws:iam::111122223333:root): its 12 digits. */
    private static @Nullable String account(@Nullable String issuingAccount) {
        if (issuingAccount == null) {
            return null;
        }
        java.util.regex.Matcher digits = ACCOUNT_ID.matcher(issuingAccount);
        return digits.find() ? digits.group() : null;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
