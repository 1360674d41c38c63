package dev.unusd.spokesim.organisation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.Scenario.Account;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Region;
import dev.unusd.spokesim.Scenario.Role;
import dev.unusd.spokesim.Scenario.Rotation;
import dev.unusd.spokesim.Scenario.TrailEntry;
import dev.unusd.spokesim.cloudtrail.EventLog;
import dev.unusd.spokesim.cloudtrail.TrailEvent;
import dev.unusd.spokesim.organisation.SimKey.KeyRotation;
import dev.unusd.spokesim.organisation.SimKey.KeyUse;
import dev.unusd.spokesim.organisation.SimKey.MultiRegionConfiguration;
import dev.unusd.spokesim.organisation.SimKey.Replica;
import dev.unusd.spokesim.organisation.SimKey.RotationType;
import dev.unusd.spokesim.scenario.ScenarioDefaults;
import dev.unusd.spokesim.sts.Principal;

/** The live state of every simulated account, built once from a completed scenario. */
public final class Organisation {

    private static final List<String> MUTATING_PREFIXES = List.of("Create", "Update", "Delete", "Put", "Schedule",
            "Cancel", "Enable", "Disable", "Tag", "Untag", "Rotate");
    private static final List<String> NOISE_EVENTS =
            List.of("DescribeKey", "GetKeyPolicy", "ListResourceTags", "GetKeyRotationStatus", "ListGrants");

    private final String hubAccountId;
    private final Set<String> templateActions;
    private final Map<String, SimAccount> accounts;
    private volatile Scenario.RotationStatusForUnsupported rotationStatusForUnsupported;

    private Organisation(String hubAccountId, Set<String> templateActions, Map<String, SimAccount> accounts,
            Scenario.RotationStatusForUnsupported rotationStatusForUnsupported) {
        this.hubAccountId = hubAccountId;
        this.templateActions = templateActions;
        this.accounts = accounts;
        this.rotationStatusForUnsupported = rotationStatusForUnsupported;
    }

    /** Accounts load in parallel, each with its own seeded random, so ids and noise do not depend on scheduling. */
    public static Organisation load(Scenario completed, Instant now, Set<String> templateActions) {
        Map<String, SimAccount> accounts = new ConcurrentHashMap<>();
        completed.accounts().parallelStream()
                .map(definition -> account(definition, now, templateActions,
                        new HistoryRandom(completed.seed() * 31 + Long.parseLong(definition.id()))))
                .toList()
                .forEach(account -> accounts.put(account.id(), account));
        return new Organisation(completed.hubAccountId(), templateActions, accounts,
                completed.rotationStatusForUnsupported());
    }

    /** Adds a completed account while the simulator runs; its history is seeded from its id. */
    public void add(Account completed, Instant now, long seed) {
        SimAccount account = account(completed, now, templateActions, new HistoryRandom(seed ^ completed.id().hashCode()));
        if (accounts.putIfAbsent(completed.id(), account) != null) {
            throw new IllegalArgumentException("account " + completed.id() + " already exists");
        }
    }

    private static SimAccount account(Account definition, Instant now, Set<String> templateActions,
            HistoryRandom random) {
        SimAccount account = new SimAccount(definition.id(), definition.name(),
                now.minus(ScenarioDefaults.DEFAULT_TRACKING_AGE));
        account.latencyMs(definition.latencyMs());
        definition.disabledRegions().forEach(region -> account.regionEnabled(region, false));
        for (Role role : definition.roles()) {
            account.putRole(new SimRole(role.name(), Optional.ofNullable(role.externalId()),
                    role.actions() == null ? templateActions : role.actions()));
        }
        definition.regions().forEach((name, region) ->
                account.putRegion(region(definition.id(), name, region, now, random)));
        linkMultiRegionKeys(account);
        return account;
    }

    public String hubAccountId() {
        return hubAccountId;
    }

    public Collection<SimAccount> accounts() {
        return accounts.values();
    }

    public Scenario.RotationStatusForUnsupported rotationStatusForUnsupported() {
        return rotationStatusForUnsupported;
    }

    public void rotationStatusForUnsupported(Scenario.RotationStatusForUnsupported answer) {
        this.rotationStatusForUnsupported = answer;
    }

    public SimAccount account(String accountId) {
        SimAccount account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("no account " + accountId + " in the simulation");
        }
        return account;
    }

    public Optional<SimAccount> findAccount(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    private static SimRegion region(String accountId, String name, Region definition, Instant now,
            HistoryRandom random) {
        List<SimKey> keys = new ArrayList<>(definition.keys().size());
        List<SimRegion.Alias> aliases = new ArrayList<>();
        String arnPrefix = "arn:aws:kms:" + name + ":" + accountId + ":";
        for (Key key : definition.keys()) {
            keys.add(new SimKey(key, accountId, name));
            for (String alias : key.aliases()) {
                aliases.add(new SimRegion.Alias(alias, arnPrefix + alias, key.id(), key.createdAt()));
            }
        }
        for (String alias : definition.aliasesWithoutKey()) {
            aliases.add(new SimRegion.Alias(alias, arnPrefix + alias, null, now.minus(Duration.ofDays(400))));
        }
        SimRegion region = new SimRegion(accountId, name, definition.trackingStartDate(), keys, aliases);
        region.cloudTrailDenied(definition.cloudTrailDenied());
        Principal application = Principal.application(accountId);
        Principal administrator = Principal.administrator(accountId);
        for (SimKey key : region.keys()) {
            key.loadedRotations(rotations(key.definition(), now));
            history(region, key, now, random, application, administrator);
        }
        return region;
    }

    private static List<KeyRotation> rotations(Key key, Instant now) {
        Rotation rotation = key.rotation();
        List<KeyRotation> done = new ArrayList<>();
        if (key.importedSymmetric()) {
            // Imported key material rotates on demand only: the rotations fall evenly between creation and now.
            Duration gap = Duration.between(key.createdAt(), now).dividedBy(rotation.rotations() + 1L);
            for (int i = 1; i <= rotation.rotations(); i++) {
                done.add(new KeyRotation(key.createdAt().plus(gap.multipliedBy(i)), RotationType.ON_DEMAND));
            }
            return done;
        }
        int period = rotation.periodDays() == null ? ScenarioDefaults.DEFAULT_ROTATION_DAYS : rotation.periodDays();
        for (int i = rotation.rotations(); i >= 1; i--) {
            Instant date = rotation.nextRotationAt() != null
                    ? rotation.nextRotationAt().minus(Duration.ofDays((long) period * i))
                    : key.createdAt().plus(Duration.ofDays((long) period * (rotation.rotations() - i + 1)));
            done.add(new KeyRotation(date, RotationType.AUTOMATIC));
        }
        return done;
    }

    /**
     * The key's CloudTrail history: the scenario's entries, its last use, and console noise over 90 days. Successful
     * cryptographic entries and the last use are the key's known uses.
     */
    private static void history(SimRegion region, SimKey key, Instant now, HistoryRandom random,
            Principal application, Principal administrator) {
        Key definition = key.definition();
        Map<Instant, TrailEvent> successfulUses = new HashMap<>();
        for (TrailEntry entry : definition.cloudTrail()) {
            boolean cryptographic = ScenarioDefaults.CRYPTOGRAPHIC_OPERATIONS.contains(entry.eventName());
            TrailEvent event = event(random, entry.at(), entry.eventName(), cryptographic ? application : administrator,
                    region.name(), key, entry.errorCode());
            region.events().append(event);
            if (cryptographic && entry.errorCode() == null) {
                successfulUses.put(entry.at(), event);
                key.loadedUse(new KeyUse(entry.at(), entry.eventName(), event.eventId(), event.requestId()));
            }
        }
        LastUsage lastUsage = definition.lastUsage();
        if (lastUsage != null && lastUsage.present()) {
            TrailEvent event = successfulUses.get(lastUsage.at());
            KeyUse use;
            if (event == null) {
                event = event(random, lastUsage.at(), lastUsage.operation(), application, region.name(), key, null);
                region.events().append(event);
                use = new KeyUse(lastUsage.at(), lastUsage.operation(), event.eventId(), event.requestId());
                key.loadedUse(use);
            } else {
                use = new KeyUse(lastUsage.at(), event.eventName(), event.eventId(), event.requestId());
            }
            key.lastUse(use);
        }
        Random shape = random.shape();
        Instant from = definition.createdAt().isAfter(now.minus(EventLog.HISTORY))
                ? definition.createdAt() : now.minus(EventLog.HISTORY);
        long span = Math.max(1, Duration.between(from, now).getSeconds());
        for (int i = 0; i < definition.noiseEvents(); i++) {
            Instant at = from.plusSeconds((long) (shape.nextDouble() * span));
            region.events().append(event(random, at, NOISE_EVENTS.get(shape.nextInt(NOISE_EVENTS.size())),
                    administrator, region.name(), key, null));
        }
    }

    private static TrailEvent event(HistoryRandom random, Instant at, String eventName, Principal principal,
            String region, SimKey key, String errorCode) {
        boolean cryptographic = ScenarioDefaults.CRYPTOGRAPHIC_OPERATIONS.contains(eventName);
        return new TrailEvent(EventLog.nextSequence(), random.eventId(), at, eventName,
                cryptographic || MUTATING_PREFIXES.stream().noneMatch(eventName::startsWith),
                principal, principal.assumedRole() ? "ASIA" + principal.accountId() + "APP0" : "AKIA" + principal.accountId() + "ADM0",
                region, key.arn(), Map.of("keyId", key.arn()), errorCode,
                errorCode == null ? null : errorMessage(errorCode, key), random.requestId());
    }

    private static String errorMessage(String errorCode, SimKey key) {
        return switch (errorCode) {
            case "DisabledException" -> key.arn() + " is disabled.";
            case "AccessDeniedException" -> "Access denied";
            case "KMSInvalidStateException" -> key.arn() + " is pending deletion.";
            default -> errorCode;
        };
    }

    /** Primary and replicas share a key id across regions; each describes the whole set. */
    private static void linkMultiRegionKeys(SimAccount account) {
        Map<String, List<SimKey>> byId = new HashMap<>();
        for (SimRegion region : account.regions()) {
            for (SimKey key : region.keys()) {
                if (key.definition().multiRegion() != null) {
                    byId.computeIfAbsent(key.id(), id -> new ArrayList<>()).add(key);
                }
            }
        }
        for (List<SimKey> set : byId.values()) {
            SimKey primary = set.stream()
                    .filter(k -> k.definition().multiRegion().type() == MultiRegionKeyType.PRIMARY).findFirst()
                    .orElse(null);
            String primaryRegion = primary != null ? primary.region()
                    : set.get(0).definition().multiRegion().primaryRegion();
            Replica primaryRef = new Replica("arn:aws:kms:" + primaryRegion + ":" + account.id() + ":key/"
                    + set.get(0).id(), primaryRegion);
            List<Replica> replicas = set.stream()
                    .filter(k -> k.definition().multiRegion().type() == MultiRegionKeyType.REPLICA)
                    .map(k -> new Replica(k.arn(), k.region())).toList();
            for (SimKey key : set) {
                key.multiRegion(new MultiRegionConfiguration(key.definition().multiRegion().type(), primaryRef,
                        replicas));
                if (primary != null && key != primary) {
                    // Rotation is set on the primary and mirrored to its replicas.
                    key.mirrorRotationOf(primary);
                }
            }
        }
    }
}
