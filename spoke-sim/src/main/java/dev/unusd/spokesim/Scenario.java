package dev.unusd.spokesim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An organisation to simulate: accounts, their spoke roles, regions and keys. Read from YAML or JSON by
 * {@link ScenarioReader}, or built by {@link OrganisationGenerator}. Once loaded into a {@link SpokeSim} every id is
 * filled in and every date is absolute, so tests can compute expectations from {@link SpokeSim#scenario()}.
 */
public record Scenario(
        String hubAccountId,
        long seed,
        double quotaScale,
        long latencyMs,
        RotationStatusForUnsupported rotationStatusForUnsupported,
        Map<String, Double> quotas,
        double serverErrorRate,
        Map<String, Double> serverErrorRates,
        List<Account> accounts,
        List<Organization> organizations) {

    public static final String DEFAULT_HUB_ACCOUNT_ID = "111111111111";

    public Scenario {
        hubAccountId = hubAccountId == null ? DEFAULT_HUB_ACCOUNT_ID : hubAccountId;
        quotaScale = quotaScale <= 0 ? 1.0 : quotaScale;
        rotationStatusForUnsupported = rotationStatusForUnsupported == null
                ? RotationStatusForUnsupported.EXCEPTION : rotationStatusForUnsupported;
        quotas = quotas == null ? Map.of() : Map.copyOf(quotas);
        serverErrorRates = serverErrorRates == null ? Map.of() : Map.copyOf(serverErrorRates);
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        organizations = organizations == null ? List.of() : List.copyOf(organizations);
    }

    /** A scenario without AWS Organizations. */
    public Scenario(String hubAccountId, long seed, double quotaScale, long latencyMs,
            RotationStatusForUnsupported rotationStatusForUnsupported, Map<String, Double> quotas,
            double serverErrorRate, Map<String, Double> serverErrorRates, List<Account> accounts) {
        this(hubAccountId, seed, quotaScale, latencyMs, rotationStatusForUnsupported, quotas, serverErrorRate,
                serverErrorRates, accounts, List.of());
    }

    public static Scenario of(List<Account> accounts) {
        return new Scenario(null, 0, 1.0, 0, null, null, 0, null, accounts);
    }

    public Scenario withAccounts(List<Account> newAccounts) {
        return new Scenario(hubAccountId, seed, quotaScale, latencyMs, rotationStatusForUnsupported, quotas,
                serverErrorRate, serverErrorRates, newAccounts, organizations);
    }

    public Account account(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no account " + id + " in the scenario"));
    }

    public int keyCount() {
        return accounts.stream().flatMap(a -> a.regions().values().stream()).mapToInt(r -> r.keys().size()).sum();
    }

    /**
     * An AWS organisation: its management account (a member under the root), the other accounts under the root, its
     * OUs, and member tags by account id. Members need not be accounts of the scenario; those that are carry their
     * names into the organisation.
     */
    public record Organization(String managementAccountId, List<String> accounts, List<OrganizationalUnit> units,
            Map<String, Map<String, String>> tags) {
        public Organization {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            units = units == null ? List.of() : List.copyOf(units);
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    public record OrganizationalUnit(String name, List<String> accounts, List<OrganizationalUnit> units) {
        public OrganizationalUnit {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            units = units == null ? List.of() : List.copyOf(units);
        }
    }

    /** What AWS answers to GetKeyRotationStatus for keys that cannot rotate automatically: sources disagree. */
    public enum RotationStatusForUnsupported { EXCEPTION, FALSE }

    public record Account(
            String id,
            String name,
            List<Role> roles,
            List<String> disabledRegions,
            long latencyMs,
            Map<String, Region> regions) {

        public Account {
            roles = roles == null ? List.of() : List.copyOf(roles);
            disabledRegions = disabledRegions == null ? List.of() : List.copyOf(disabledRegions);
            regions = regions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        }

        public Region region(String name) {
            Region region = regions.get(name);
            if (region == null) {
                throw new IllegalArgumentException("no region " + name + " in account " + id);
            }
            return region;
        }

        public Optional<Role> role(String roleName) {
            return roles.stream().filter(r -> r.name().equals(roleName)).findFirst();
        }
    }

    /**
     * A role in a spoke account. No externalId means the template is not deployed yet; no actions means the actions the
     * spoke-role template grants.
     */
    public record Role(String name, String externalId, Set<String> actions) {
        public Role {
            actions = actions == null ? null : Set.copyOf(actions);
        }
    }

    public record Region(
            Instant trackingStartDate,
            boolean cloudTrailDenied,
            List<Key> keys,
            List<String> aliasesWithoutKey) {

        public Region {
            keys = keys == null ? List.of() : List.copyOf(keys);
            aliasesWithoutKey = aliasesWithoutKey == null ? List.of() : List.copyOf(aliasesWithoutKey);
        }

        public Key key(String id) {
            return keys.stream().filter(k -> k.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key " + id));
        }
    }

    public record Key(
            String id,
            KeyManager manager,
            KeyState state,
            String spec,
            KeyUsage usage,
            Origin origin,
            String description,
            MultiRegion multiRegion,
            Instant createdAt,
            Instant deletionDate,
            Rotation rotation,
            Map<String, String> tags,
            List<String> aliases,
            LastUsage lastUsage,
            List<TrailEntry> cloudTrail,
            int noiseEvents,
            KeyFaults faults,
            String keyPolicy,
            List<Grant> grants) {

        /** A key with AWS's default key policy and no grants. */
        public Key(String id, KeyManager manager, KeyState state, String spec, KeyUsage usage, Origin origin,
                String description, MultiRegion multiRegion, Instant createdAt, Instant deletionDate, Rotation rotation,
                Map<String, String> tags, List<String> aliases, LastUsage lastUsage, List<TrailEntry> cloudTrail,
                int noiseEvents, KeyFaults faults) {
            this(id, manager, state, spec, usage, origin, description, multiRegion, createdAt, deletionDate, rotation,
                    tags, aliases, lastUsage, cloudTrail, noiseEvents, faults, null, List.of());
        }

        public Key {
            manager = manager == null ? KeyManager.CUSTOMER : manager;
            state = state == null ? KeyState.Enabled : state;
            spec = spec == null ? "SYMMETRIC_DEFAULT" : spec;
            usage = usage == null ? KeyUsage.defaultFor(spec) : usage;
            origin = origin == null ? Origin.AWS_KMS : origin;
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            cloudTrail = cloudTrail == null ? List.of() : List.copyOf(cloudTrail);
            faults = faults == null ? KeyFaults.NONE : faults;
            grants = grants == null ? List.of() : List.copyOf(grants);
        }

        /** The key policy GetKeyPolicy answers: the scenario's, else AWS's default for the key's account. */
        public String keyPolicy(String accountId) {
            return keyPolicy != null ? keyPolicy : "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n"
                    + "  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n"
                    + "    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" + accountId
                    + ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
        }

        public String arn(String accountId, String region) {
            return "arn:aws:kms:" + region + ":" + accountId + ":key/" + id;
        }

        /** Only symmetric keys with key material from KMS rotate automatically. */
        public boolean rotatable() {
            return "SYMMETRIC_DEFAULT".equals(spec) && origin == Origin.AWS_KMS;
        }

        /**
         * A symmetric key with imported key material: it rotates on demand only, to material imported for that
         * (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL), never automatically.
         */
        public boolean importedSymmetric() {
            return "SYMMETRIC_DEFAULT".equals(spec) && origin == Origin.EXTERNAL;
        }

        /** Keys whose key materials ListKeyRotations lists: those that rotate automatically or on demand. */
        public boolean hasKeyMaterials() {
            return rotatable() || importedSymmetric();
        }
    }

    public enum KeyManager { CUSTOMER, AWS }

    /** Spelled as AWS spells them on the wire. */
    public enum KeyState {
        Creating, Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Updating
    }

    public enum KeyUsage {
        ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT, ENCAPSULATE_DECAPSULATE;

        static KeyUsage defaultFor(String spec) {
            if (spec.startsWith("HMAC_")) {
                return GENERATE_VERIFY_MAC;
            }
            if (spec.startsWith("ML_KEM_")) {
                return ENCAPSULATE_DECAPSULATE;
            }
            if (spec.startsWith("ECC_") || spec.startsWith("ML_DSA_")) {
                return SIGN_VERIFY;
            }
            return ENCRYPT_DECRYPT;
        }
    }

    public enum Origin { AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE }

    public enum MultiRegionKeyType { PRIMARY, REPLICA }

    /** A replica names its primary's region; primary and replicas share one key id (mrk-...). */
    public record MultiRegion(MultiRegionKeyType type, String primaryRegion) {
    }

    /**
     * Rotations is a count: their dates are spread back from the next rotation one period apart. For a symmetric key
     * with imported key material they are on-demand rotations, spread evenly between its creation and load time, and
     * {@code enabled} must stay false: KMS does not rotate imported key material automatically.
     */
    public record Rotation(boolean enabled, Integer periodDays, int rotations, Instant nextRotationAt) {
        public static final Rotation OFF = new Rotation(false, null, 0, null);
    }

    /**
     * The newest successful cryptographic use that GetKeyLastUsage reports. {@link #NONE}: never used since tracking
     * started. Left out (null) in a scenario file, it is taken from the key's successful cryptographic
     * {@code cloudTrail} entries at or after the region's tracking start.
     */
    public record LastUsage(Instant at, String operation) {
        public static final LastUsage NONE = new LastUsage(null, null);

        public boolean present() {
            return at != null;
        }
    }

    /**
     * A grant on the key, as ListGrants lists it; {@code issuingAccount} null means the key's own account. Operations
     * as AWS names them (Decrypt, Encrypt, GenerateDataKey, ...).
     */
    public record Grant(String id, String name, String granteePrincipal, String retiringPrincipal,
            List<String> operations, String issuingAccount, Instant createdAt) {
        public Grant {
            operations = operations == null ? List.of() : List.copyOf(operations);
        }
    }

    /** A CloudTrail event on the key; errorCode marks a failed call, which is not use. */
    public record TrailEntry(Instant at, String eventName, String errorCode) {
    }

    /**
     * Key policy denies, GetKeyLastUsage unsupported, and rotationsLag: ListKeyRotations answers as if the key's latest
     * rotation had not happened yet, as KMS's eventual consistency can just after one (DescribeKey is not affected).
     */
    public record KeyFaults(boolean denyDescribeKey, boolean denyGetKeyLastUsage, boolean getKeyLastUsageUnsupported,
            boolean rotationsLag, boolean omitTrackingStartDate, boolean omitLastUsageTimestamp,
            boolean omitKeyManager) {
        public static final KeyFaults NONE = new KeyFaults(false, false, false, false, false, false, false);

        public KeyFaults(boolean denyDescribeKey, boolean denyGetKeyLastUsage, boolean getKeyLastUsageUnsupported,
                boolean rotationsLag, boolean omitTrackingStartDate, boolean omitLastUsageTimestamp) {
            this(denyDescribeKey, denyGetKeyLastUsage, getKeyLastUsageUnsupported, rotationsLag, omitTrackingStartDate,
                    omitLastUsageTimestamp, false);
        }

        public KeyFaults(boolean denyDescribeKey, boolean denyGetKeyLastUsage, boolean getKeyLastUsageUnsupported,
                boolean rotationsLag, boolean omitTrackingStartDate) {
            this(denyDescribeKey, denyGetKeyLastUsage, getKeyLastUsageUnsupported, rotationsLag, omitTrackingStartDate,
                    false);
        }

        public KeyFaults(boolean denyDescribeKey, boolean denyGetKeyLastUsage, boolean getKeyLastUsageUnsupported,
                boolean rotationsLag) {
            this(denyDescribeKey, denyGetKeyLastUsage, getKeyLastUsageUnsupported, rotationsLag, false, false);
        }
    }
}
