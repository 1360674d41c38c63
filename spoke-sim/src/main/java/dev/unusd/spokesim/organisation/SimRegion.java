package dev.unusd.spokesim.organisation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.cloudtrail.EventLog;
import dev.unusd.spokesim.cloudtrail.TrailEvent;
import dev.unusd.spokesim.sts.Principal;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.RandomIds;

/**
 * One account's region: its keys (in ListKeys order), aliases, CloudTrail history and region-level faults. Keys and
 * aliases are replaced as whole lists when keys are created or deleted, so readers never see a list change under them.
 */
public final class SimRegion {

    private final String accountId;
    private final String name;
    private volatile List<SimKey> keys;
    private volatile Map<String, SimKey> keysById;
    private volatile List<Alias> aliases;
    private volatile Map<String, Alias> aliasesByName;
    private final EventLog events = new EventLog();
    private volatile Instant trackingStartDate;
    private volatile boolean cloudTrailDenied;
    /** The earliest DeletionDate of a key pending deletion, so most calls skip looking for due deletions. */
    private volatile Instant nextDeletion;

    SimRegion(String accountId, String name, Instant trackingStartDate, List<SimKey> keys, List<Alias> aliases) {
        this.accountId = accountId;
        this.name = name;
        this.trackingStartDate = trackingStartDate;
        keys.forEach(k -> k.joined(this));
        replace(keys, aliases);
        deletionsChanged();
    }

    public String accountId() {
        return accountId;
    }

    public String name() {
        return name;
    }

    /** The region's keys in ListKeys order (by key id). */
    public List<SimKey> keys() {
        return keys;
    }

    /** Aliases in ListAliases order (by name). */
    public List<Alias> aliases() {
        return aliases;
    }

    public EventLog events() {
        return events;
    }

    /** GetKeyLastUsage's TrackingStartDate: uses before it are not reported. */
    public Instant trackingStartDate() {
        return trackingStartDate;
    }

    /** Moves the tracking start; every key's last use becomes its newest use at or after it. */
    public synchronized void trackingStartDate(Instant start) {
        this.trackingStartDate = start;
        keys.forEach(k -> k.track(start));
    }

    /** A new customer key, created now: it joins ListKeys in id order. */
    public synchronized SimKey create(Key definition) {
        if (keysById.containsKey(definition.id())) {
            throw new IllegalArgumentException("key " + definition.id() + " exists already in " + name);
        }
        SimKey key = new SimKey(definition, accountId, name);
        key.joined(this);
        List<SimKey> more = new ArrayList<>(keys);
        more.add(key);
        replace(more, aliases);
        return key;
    }

    /**
     * Deletes the keys whose pending deletion ended by now, as KMS does when the waiting period is over: they leave
     * ListKeys, every call on them is NotFoundException, their aliases go, and CloudTrail records KMS's DeleteKey at
     * the DeletionDate. Cheap when nothing is due.
     */
    public void completeDeletions(Instant now) {
        Instant due = nextDeletion;
        if (due == null || now.isBefore(due)) {
            return;
        }
        synchronized (this) {
            for (SimKey key : keys) {
                if (key.deletionDue(now)) {
                    delete(key, key.deletionDate());
                }
            }
            deletionsChanged();
        }
    }

    /** Deletes a key at once, as if its deletion had just completed. */
    public synchronized void delete(SimKey key, Instant at) {
        if (keysById.get(key.id()) != key) {
            return;
        }
        replace(keys.stream().filter(k -> k != key).toList(),
                aliases.stream().filter(a -> !key.id().equals(a.targetKeyId())).toList());
        events.append(new TrailEvent(EventLog.nextSequence(), RandomIds.uuid(), at, "DeleteKey", false,
                Principal.awsService(accountId, "kms.amazonaws.com"), null, name, key.arn(), null, null, null,
                RandomIds.uuid()));
        deletionsChanged();
    }

    public boolean cloudTrailDenied() {
        return cloudTrailDenied;
    }

    public void cloudTrailDenied(boolean denied) {
        this.cloudTrailDenied = denied;
    }

    public String arnPrefix() {
        return "arn:aws:kms:" + name + ":" + accountId + ":";
    }

    /**
     * Finds a key the way KMS accepts it: key id, key ARN, alias name or alias ARN. A key ARN of another account or
     * region is simply not found here; text that starts like an ARN but is not one is an InvalidArnException.
     */
    public SimKey resolve(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            throw AwsError.validation("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        String reference = keyId;
        if (keyId.startsWith("arn:")) {
            String[] parts = keyId.split(":", 6);
            if (parts.length != 6 || !parts[2].equals("kms")
                    || !(parts[5].startsWith("key/") || parts[5].startsWith("alias/"))) {
                throw AwsError.client("InvalidArnException", "ARN " + keyId + " is not a valid KMS key or alias ARN");
            }
            if (!parts[3].equals(name) || !parts[4].equals(accountId)) {
                throw notFound(keyId);
            }
            reference = parts[5].startsWith("key/") ? parts[5].substring(4) : parts[5];
        }
        if (reference.startsWith("alias/")) {
            Alias alias = aliasesByName.get(reference);
            if (alias == null || alias.targetKeyId() == null) {
                throw AwsError.notFound("Alias " + arnPrefix() + reference + " is not found.");
            }
            reference = alias.targetKeyId();
        }
        SimKey key = keysById.get(reference);
        if (key == null) {
            throw notFound(arnPrefix() + "key/" + reference);
        }
        return key;
    }

    /**
     * Finds a key by key id or key ARN only, the way GetKeyRotationStatus, GetKeyLastUsage, ListResourceTags and
     * ListKeyRotations take it. Their API reference names no error for an alias: we answer NotFoundException in the
     * wording KMS uses for a key id it cannot use.
     */
    public SimKey resolveKeyIdOrArn(String keyId) {
        if (keyId != null && (keyId.startsWith("alias/") || keyId.startsWith("arn:") && keyId.contains(":alias/"))) {
            throw AwsError.notFound("Invalid keyId " + keyId);
        }
        return resolve(keyId);
    }

    /** The resource an IAM decision names, before we know whether the key exists. */
    public String resourceArn(String keyId) {
        if (keyId == null || keyId.startsWith("arn:")) {
            return keyId == null ? "*" : keyId;
        }
        return arnPrefix() + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }

    synchronized void deletionsChanged() {
        Instant earliest = null;
        for (SimKey key : keys) {
            Instant date = key.deletionDate();
            if (key.state() == KeyState.PendingDeletion && date != null
                    && (earliest == null || date.isBefore(earliest))) {
                earliest = date;
            }
        }
        nextDeletion = earliest;
    }

    private void replace(List<SimKey> newKeys, List<Alias> newAliases) {
        List<SimKey> sorted = new ArrayList<>(newKeys);
        sorted.sort(Comparator.comparing(SimKey::id));
        Map<String, SimKey> byId = new HashMap<>();
        sorted.forEach(k -> byId.put(k.id(), k));
        List<Alias> sortedAliases = new ArrayList<>(newAliases);
        sortedAliases.sort(Comparator.comparing(Alias::name));
        Map<String, Alias> byName = new HashMap<>();
        sortedAliases.forEach(a -> byName.put(a.name(), a));
        this.keysById = Map.copyOf(byId);
        this.keys = List.copyOf(sorted);
        this.aliasesByName = Map.copyOf(byName);
        this.aliases = List.copyOf(sortedAliases);
    }

    private static AwsError notFound(String arn) {
        return AwsError.notFound("Key '" + arn + "' does not exist");
    }

    /** An alias; AWS predefines some alias/aws/* names before any key backs them, so the target may be absent. */
    public record Alias(String name, String arn, String targetKeyId, Instant createdAt) {
    }
}
