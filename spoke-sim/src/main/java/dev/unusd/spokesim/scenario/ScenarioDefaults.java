package dev.unusd.spokesim.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.Scenario.Account;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.Scenario.Region;
import dev.unusd.spokesim.Scenario.Rotation;
import dev.unusd.spokesim.Scenario.TrailEntry;

/**
 * Completes a scenario: generated key ids (seeded, so a scenario always yields the same ids), default dates relative to
 * load time, rotation defaults, and last usage taken from CloudTrail entries where the scenario leaves it out.
 */
public final class ScenarioDefaults {

    public static final Duration DEFAULT_TRACKING_AGE = Duration.ofDays(180);
    private static final Duration DEFAULT_KEY_AGE = Duration.ofDays(365);
    public static final int DEFAULT_ROTATION_DAYS = 365;
    public static final Set<String> CRYPTOGRAPHIC_OPERATIONS = Set.of("Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign",
            "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret", "Encapsulate", "Decapsulate");

    private final Instant now;
    private final Random random;

    public ScenarioDefaults(Instant now, long seed) {
        this.now = now;
        this.random = new Random(seed);
    }

    /** Accounts complete in parallel; each draws its generated ids from its own seed, so the result never varies. */
    public static Scenario complete(Scenario scenario, Instant now) {
        Set<String> seen = new HashSet<>();
        for (Account account : scenario.accounts()) {
            if (account.id() == null || !account.id().matches("\\d{12}")) {
                throw new IllegalArgumentException("account id must be 12 digits (quote it in YAML): " + account.id());
            }
            if (!seen.add(account.id())) {
                throw new IllegalArgumentException("account " + account.id() + " appears twice");
            }
        }
        List<Account> accounts = scenario.accounts().parallelStream()
                .map(a -> new ScenarioDefaults(now, scenario.seed() * 31 + Long.parseLong(a.id())).complete(a))
                .toList();
        return scenario.withAccounts(accounts);
    }

    /** One account: ids generated from this completer's seeded random, dates resolved against its load time. */
    public Account complete(Account account) {
        if (account.id() == null || !account.id().matches("\\d{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits (quote it in YAML): " + account.id());
        }
        Map<String, Region> regions = new LinkedHashMap<>();
        account.regions().forEach((name, region) -> regions.put(name, complete(account.id(), region)));
        return new Account(account.id(), account.name() == null ? "account-" + account.id() : account.name(),
                account.roles(), account.disabledRegions(), account.latencyMs(), regions);
    }

    private Region complete(String accountId, Region region) {
        Instant trackingStart = region.trackingStartDate() == null ? now.minus(DEFAULT_TRACKING_AGE)
                : region.trackingStartDate();
        List<Key> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Key key : region.keys()) {
            Key completed = complete(key, trackingStart);
            if (!ids.add(completed.id())) {
                throw new IllegalArgumentException("key " + completed.id() + " appears twice in account " + accountId);
            }
            keys.add(completed);
        }
        return new Region(trackingStart, region.cloudTrailDenied(), keys, region.aliasesWithoutKey());
    }

    private Key complete(Key key, Instant trackingStart) {
        String id = key.id() != null ? key.id() : key.multiRegion() != null ? multiRegionKeyId() : keyId();
        Instant createdAt = key.createdAt() == null ? now.minus(DEFAULT_KEY_AGE) : key.createdAt();
        Instant deletionDate = key.deletionDate() == null && key.state() == KeyState.PendingDeletion
                ? now.plus(Duration.ofDays(30)) : key.deletionDate();
        String description = key.description() != null ? key.description()
                : key.manager() == KeyManager.AWS ? awsManagedDescription(key.aliases()) : "";
        LastUsage lastUsage = key.lastUsage() != null ? key.lastUsage() : lastUseFromTrail(key.cloudTrail(), trackingStart);
        return new Key(id, key.manager(), key.state(), key.spec(), key.usage(), key.origin(), description,
                key.multiRegion(), createdAt, deletionDate, rotation(key, createdAt), key.tags(), key.aliases(),
                lastUsage, key.cloudTrail(), key.noiseEvents(), key.faults(), key.keyPolicy(), grants(key, createdAt));
    }

    /** Grants get AWS-shaped ids (64 hex digits) and their key's creation date unless the scenario gives them. */
    private List<Scenario.Grant> grants(Key key, Instant createdAt) {
        List<Scenario.Grant> grants = new java.util.ArrayList<>();
        for (Scenario.Grant grant : key.grants()) {
            String id = grant.id() != null ? grant.id() : grantId();
            grants.add(new Scenario.Grant(id, grant.name(), grant.granteePrincipal(), grant.retiringPrincipal(),
                    grant.operations(), grant.issuingAccount(), grant.createdAt() != null ? grant.createdAt()
                            : createdAt));
        }
        return grants;
    }

    private Rotation rotation(Key key, Instant createdAt) {
        Rotation given = key.rotation();
        if (given == null) {
            // AWS-managed keys rotate every year, and nobody can turn that off.
            given = key.manager() == KeyManager.AWS ? new Rotation(true, DEFAULT_ROTATION_DAYS, 0, null) : Rotation.OFF;
        }
        if (!given.enabled()) {
            return new Rotation(false, null, given.rotations(), null);
        }
        if (key.importedSymmetric()) {
            throw new IllegalArgumentException("key " + key.id() + " has imported key material (origin EXTERNAL): KMS "
                    + "rotates it on demand only, so its rotation takes rotations but not enabled");
        }
        int period = given.periodDays() == null ? DEFAULT_ROTATION_DAYS : given.periodDays();
        Instant next = given.nextRotationAt();
        if (next == null) {
            next = createdAt.plus(Duration.ofDays(period));
            // Strictly after now: a date equal to load time is due at once and would rotate on the first call.
            while (!next.isAfter(now)) {
                next = next.plus(Duration.ofDays(period));
            }
        }
        return new Rotation(true, period, given.rotations(), next);
    }

    private static LastUsage lastUseFromTrail(List<TrailEntry> trail, Instant trackingStart) {
        return trail.stream()
                .filter(e -> e.errorCode() == null && CRYPTOGRAPHIC_OPERATIONS.contains(e.eventName()))
                .filter(e -> !e.at().isBefore(trackingStart))
                .max(Comparator.comparing(TrailEntry::at))
                .map(e -> new LastUsage(e.at(), e.eventName()))
                .orElse(LastUsage.NONE);
    }

    private static String awsManagedDescription(List<String> aliases) {
        String service = aliases.stream().filter(a -> a.startsWith("alias/aws/")).findFirst()
                .map(a -> a.substring("alias/aws/".length()).toUpperCase()).orElse("AWS");
        return "Default key that protects my " + service + " data when no other key is defined";
    }

    /** Drawn only for grants the scenario names without an id, so other scenarios keep their ids. */
    private String grantId() {
        return String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextLong());
    }

    private String keyId() {
        return new java.util.UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private String multiRegionKeyId() {
        return "mrk-" + String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
