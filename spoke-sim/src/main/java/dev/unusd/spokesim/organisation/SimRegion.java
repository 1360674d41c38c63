package dev.unusd.spokesim.organisation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.unusd.spokesim.cloudtrail.EventLog;
import dev.unusd.spokesim.wire.AwsError;

/** One account's region: its keys (in ListKeys order), aliases, CloudTrail history and region-level faults. */
public final class SimRegion {

    private final String accountId;
    private final String name;
    private final List<SimKey> keys;
    private final Map<String, SimKey> keysById;
    private final List<Alias> aliases;
    private final Map<String, Alias> aliasesByName;
    private final EventLog events = new EventLog();
    private volatile Instant trackingStartDate;
    private volatile boolean cloudTrailDenied;

    SimRegion(String accountId, String name, Instant trackingStartDate, List<SimKey> keys, List<Alias> aliases) {
        this.accountId = accountId;
        this.name = name;
        this.trackingStartDate = trackingStartDate;
        List<SimKey> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(SimKey::id));
        this.keys = List.copyOf(sorted);
        this.keysById = new HashMap<>();
        sorted.forEach(k -> keysById.put(k.id(), k));
        List<Alias> sortedAliases = new ArrayList<>(aliases);
        sortedAliases.sort(Comparator.comparing(Alias::name));
        this.aliases = List.copyOf(sortedAliases);
        this.aliasesByName = new HashMap<>();
        sortedAliases.forEach(a -> aliasesByName.put(a.name(), a));
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

    private static AwsError notFound(String arn) {
        return AwsError.notFound("Key '" + arn + "' does not exist");
    }

    /** An alias; AWS predefines some alias/aws/* names before any key backs them, so the target may be absent. */
    public record Alias(String name, String arn, String targetKeyId, Instant createdAt) {
    }
}
