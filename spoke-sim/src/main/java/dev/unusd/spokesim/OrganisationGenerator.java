package dev.unusd.spokesim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.unusd.spokesim.Scenario.Account;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.KeyUsage;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.Scenario.MultiRegion;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Origin;
import dev.unusd.spokesim.Scenario.Region;
import dev.unusd.spokesim.Scenario.Role;
import dev.unusd.spokesim.Scenario.Rotation;
import dev.unusd.spokesim.Scenario.TrailEntry;

/**
 * Seeded organisations of any size with the mix a real one has: mostly used keys, some unused, rotation off or too
 * slow, asymmetric, HMAC and imported keys (some rotated on demand), multi-Region sets, keys pending deletion with and
 * without recent use, exempt keys, AWS-managed keys, regions whose usage tracking started inside the 90-day window, and
 * noise. Account ids are 100000000001, 100000000002, ...; the same spec always yields the same organisation.
 */
public final class OrganisationGenerator {

    /** The 17 commercial regions every account has enabled by default, the first ten in the order of earlier runs. */
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2", "eu-central-1",
            "ap-southeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1", "eu-north-1", "ap-south-1",
            "us-east-2", "us-west-1", "eu-west-2", "eu-west-3", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1");
    private static final List<String> AWS_SERVICES = List.of("s3", "ebs", "rds", "lambda", "secretsmanager", "sns");
    private static final List<String> UNBACKED_AWS_ALIASES = List.of("alias/aws/dynamodb", "alias/aws/redshift",
            "alias/aws/elasticfilesystem");
    private static final List<String> TEAMS = List.of("payments", "orders", "identity", "data", "platform", "search");
    private static final long FIRST_ACCOUNT = 100_000_000_001L;

    private final OrganisationSpec spec;
    private final Random random;
    /** Key policies and grants draw from their own sequence, so the rest of an organisation is as it always was. */
    private final Random access;
    /** So do the on-demand rotations of imported key material. */
    private final Random imported;
    private final Instant now;

    /** One generator per account, seeded from the spec's seed and the account's index, so accounts build in parallel. */
    private OrganisationGenerator(OrganisationSpec spec, Instant now, int accountIndex) {
        this.spec = spec;
        this.random = new Random(spec.seed() * 1_000_003L + accountIndex);
        this.access = new Random(spec.seed() * 7_919L + accountIndex);
        this.imported = new Random(spec.seed() * 104_729L + accountIndex);
        this.now = now;
    }

    public static Scenario generate(OrganisationSpec spec) {
        return generate(spec, Instant.now());
    }

    public static Scenario generate(OrganisationSpec spec, Instant now) {
        List<Account> accounts = java.util.stream.IntStream.range(0, spec.accounts()).parallel()
                .mapToObj(i -> new OrganisationGenerator(spec, now, i).account(i)).toList();
        return new Scenario(null, spec.seed(), 1.0, 0, null, null, 0, null, accounts,
                spec.ous() == 0 ? List.of() : List.of(awsOrganization(spec)));
    }

    /**
     * The first account manages the organisation from the root; the OUs form two levels (a fifth of them at the top,
     * the rest spread under those), and the other accounts are dealt over all OUs in turn, each tagged with a team
     * and an environment.
     */
    static Scenario.Organization awsOrganization(OrganisationSpec spec) {
        int top = Math.max(1, spec.ous() / 5);
        List<List<String>> members = new ArrayList<>();
        for (int u = 0; u < spec.ous(); u++) {
            members.add(new ArrayList<>());
        }
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        for (int i = 1; i < spec.accounts(); i++) {
            members.get((i - 1) % spec.ous()).add(accountId(i));
            tags.put(accountId(i), Map.of("team", TEAMS.get(i % TEAMS.size()), "env", i % 3 == 0 ? "prod" : "staging"));
        }
        List<Scenario.OrganizationalUnit> units = new ArrayList<>();
        for (int t = 0; t < Math.min(top, spec.ous()); t++) {
            List<Scenario.OrganizationalUnit> children = new ArrayList<>();
            for (int u = top + t; u < spec.ous(); u += top) {
                children.add(new Scenario.OrganizationalUnit(String.format("unit-%02d", u + 1), members.get(u),
                        List.of()));
            }
            units.add(new Scenario.OrganizationalUnit(String.format("unit-%02d", t + 1), members.get(t), children));
        }
        return new Scenario.Organization(accountId(0), List.of(), units, tags);
    }

    public static String accountId(int index) {
        return String.valueOf(FIRST_ACCOUNT + index);
    }

    private Account account(int index) {
        String id = accountId(index);
        List<String> regionNames = REGIONS.subList(0, spec.regions());
        // Every tenth account has not enabled its last region: scans must skip it, not fail.
        List<String> disabled = spec.regions() > 1 && index % 10 == 9
                ? List.of(regionNames.get(regionNames.size() - 1)) : List.of();
        List<String> primaries = new ArrayList<>();
        Map<String, Region> regions = new LinkedHashMap<>();
        for (int r = 0; r < regionNames.size(); r++) {
            regions.put(regionNames.get(r), region(id, r, regionNames.get(0), primaries, keysIn(r)));
        }
        return new Account(id, String.format("account-%03d", index + 1),
                List.of(new Role(dev.unusd.spokerole.SpokeRoleTemplate.DEFAULT_ROLE_NAME, spec.externalId(), null)), disabled, 0, regions);
    }

    /**
     * Keys of the account's region at {@code regionIndex}: the spec's count everywhere (UNIFORM), or crowded (ORG):
     * all of them in the home region, a fifth in each of the next two, and in the others either a few AWS-managed keys
     * (negative: that many, all AWS-managed) or none.
     */
    private int keysIn(int regionIndex) {
        int n = spec.keysPerRegion();
        if (spec.profile() == OrganisationSpec.Profile.UNIFORM || regionIndex == 0) {
            return n;
        }
        if (regionIndex <= 2) {
            return Math.max(n > 0 ? 1 : 0, n / 5);
        }
        return random.nextBoolean() ? -(1 + random.nextInt(3)) : 0;
    }

    private Region region(String accountId, int regionIndex, String homeRegion, List<String> primaries, int keysIn) {
        // Usage tracking started long ago in most regions, inside the 90-day window in some: there CloudTrail must
        // answer for the gap.
        Instant trackingStart = random.nextInt(4) == 0 ? daysAgo(10 + random.nextInt(60)) : daysAgo(200 + random.nextInt(200));
        List<Key> keys = new ArrayList<>();
        if (keysIn < 0) {
            // Only AWS-managed keys: services used here, no keys of the customer's own.
            for (int i = 0; i < -keysIn; i++) {
                keys.add(awsManagedKey(AWS_SERVICES.get(i % AWS_SERVICES.size()), i));
            }
            return new Region(trackingStart, false, keys, List.of());
        }
        int n = keysIn;
        int awsManaged = n >= 10 ? Math.max(1, n / 25) : n >= 3 ? 1 : 0;
        for (int i = 0; i < awsManaged && keys.size() < n; i++) {
            keys.add(awsManagedKey(AWS_SERVICES.get(i % AWS_SERVICES.size()), i));
        }
        if (regionIndex > 0 && n > 0) {
            for (String primary : primaries) {
                if (keys.size() < n && random.nextBoolean()) {
                    keys.add(replica(primary, homeRegion));
                }
            }
        }
        while (keys.size() < n) {
            keys.add(customerKey(keys.size(), regionIndex, trackingStart, primaries));
        }
        String regionName = REGIONS.get(regionIndex);
        keys.replaceAll(key -> key.manager() == KeyManager.CUSTOMER ? withAccess(key, accountId, regionName) : key);
        return new Region(trackingStart, false, keys, UNBACKED_AWS_ALIASES.subList(0, Math.min(n, 2)));
    }

    private Key awsManagedKey(String service, int index) {
        String suffix = index < AWS_SERVICES.size() ? "" : "-" + index;
        return key(uuid(), KeyManager.AWS, KeyState.Enabled, "SYMMETRIC_DEFAULT", Origin.AWS_KMS, null,
                daysAgo(300 + random.nextInt(1200)), null, null, Map.of(), List.of("alias/aws/" + service + suffix),
                recentUse(), List.of(), noise());
    }

    private Key replica(String primaryId, String homeRegion) {
        return key(primaryId, KeyManager.CUSTOMER, KeyState.Enabled, "SYMMETRIC_DEFAULT", Origin.AWS_KMS,
                new MultiRegion(MultiRegionKeyType.REPLICA, homeRegion), daysAgo(100 + random.nextInt(400)), null, null,
                tags(), List.of(), random.nextInt(3) == 0 ? LastUsage.NONE : recentUse(), List.of(), noise());
    }

    private Key customerKey(int index, int regionIndex, Instant trackingStart, List<String> primaries) {
        int roll = random.nextInt(100);
        Instant created = daysAgo(30 + random.nextInt(1400));
        Map<String, String> tags = tags();
        List<String> aliases = random.nextInt(3) == 0 ? List.of() : List.of("alias/" + TEAMS.get(random.nextInt(TEAMS.size()))
                + "-" + index);
        String spec = "SYMMETRIC_DEFAULT";
        Origin origin = Origin.AWS_KMS;
        KeyState state = KeyState.Enabled;
        MultiRegion multiRegion = null;
        Instant deletion = null;
        LastUsage lastUsage = recentUse();
        List<TrailEntry> trail = List.of();
        String id = uuid();
        if (roll < 12) {
            // Unused: never used since tracking started, and nothing in CloudTrail either.
            lastUsage = LastUsage.NONE;
            if (roll < 3) {
                tags.put("unusd", "true");
            }
        } else if (roll < 18) {
            spec = random.nextBoolean() ? "RSA_2048" : "RSA_4096";
        } else if (roll < 22) {
            spec = random.nextBoolean() ? "ECC_NIST_P256" : "ECC_NIST_P384";
        } else if (roll < 25) {
            spec = "HMAC_256";
        } else if (roll < 28) {
            origin = Origin.EXTERNAL;
        } else if (roll < 32 && regionIndex == 0 && this.spec.regions() > 1) {
            id = multiRegionId();
            multiRegion = new MultiRegion(MultiRegionKeyType.PRIMARY, null);
            primaries.add(id);
        } else if (roll < 35) {
            state = KeyState.PendingDeletion;
            deletion = now.plus(Duration.ofDays(1 + random.nextInt(29)));
            lastUsage = roll < 33 ? LastUsage.NONE : recentUse();
        } else if (roll < 38) {
            state = KeyState.Disabled;
            lastUsage = LastUsage.NONE;
        } else if (roll < 44 && trackingStart.isAfter(daysAgo(85))) {
            // Used only before tracking started: GetKeyLastUsage knows nothing, CloudTrail does.
            lastUsage = LastUsage.NONE;
            Instant at = trackingStart.minus(Duration.ofHours(1 + random.nextInt(24 * 5)));
            trail = List.of(new TrailEntry(at, random.nextBoolean() ? "Decrypt" : "Encrypt", null));
        }
        boolean rotatable = spec.equals("SYMMETRIC_DEFAULT") && origin == Origin.AWS_KMS;
        Rotation rotation = Rotation.OFF;
        if (rotatable && random.nextInt(100) < 55) {
            int period = random.nextInt(10) == 0 ? 730 + random.nextInt(3) * 365 : 365;
            rotation = new Rotation(true, period, random.nextInt(4), null);
        } else if (origin == Origin.EXTERNAL) {
            // Imported key material rotates on demand only: most such keys never, some once or twice.
            int draw = imported.nextInt(10);
            rotation = new Rotation(false, null, draw < 6 ? 0 : draw < 8 ? 1 : 2, null);
        }
        return key(id, KeyManager.CUSTOMER, state, spec, origin, multiRegion, created, deletion, rotation, tags, aliases,
                lastUsage, trail, noise());
    }

    private Key key(String id, KeyManager manager, KeyState state, String spec, Origin origin, MultiRegion multiRegion,
            Instant created, Instant deletion, Rotation rotation, Map<String, String> tags, List<String> aliases,
            LastUsage lastUsage, List<TrailEntry> trail, int noise) {
        LastUsage use = lastUsage.present() && lastUsage.at().isBefore(created) ? LastUsage.NONE : lastUsage;
        KeyUsage usage = spec.startsWith("RSA_") && random.nextBoolean() ? KeyUsage.SIGN_VERIFY : null;
        String description = manager == KeyManager.AWS ? null : "generated key for " + (tags.getOrDefault("team", "ops"));
        if (use.present() && usage == KeyUsage.SIGN_VERIFY || use.present() && spec.startsWith("ECC_")) {
            use = new LastUsage(use.at(), "Sign");
        } else if (use.present() && spec.startsWith("HMAC_")) {
            use = new LastUsage(use.at(), "GenerateMac");
        }
        return new Key(id, manager, state, spec, usage, origin, description, multiRegion, created, deletion, rotation,
                tags, aliases, use, trail, noise, null);
    }

    /** The partner account that some generated keys are shared with. */
    static final String PARTNER_ACCOUNT = "210987654321";

    /**
     * Who can use a customer-managed key: mostly AWS's default policy; 2 in 100 open to anyone, 4 shared with a
     * partner account by a grant, 10 usable through S3 by the key's own account only, 10 with a grant to RDS.
     */
    private Key withAccess(Key key, String accountId, String region) {
        int roll = access.nextInt(100);
        String own = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + accountId + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        String policy = null;
        List<Scenario.Grant> grants = List.of();
        if (roll < 2) {
            policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + own + ",{\"Sid\":\"PublicDecrypt\",\"Effect\":"
                    + "\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
        } else if (roll < 6) {
            grants = List.of(grant("arn:aws:iam::" + PARTNER_ACCOUNT + ":role/etl", key.createdAt()));
        } else if (roll < 16) {
            policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + own + ",{\"Sid\":\"ThroughS3\",\"Effect\":"
                    + "\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey*\"],"
                    + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"" + accountId
                    + "\",\"kms:ViaService\":\"s3." + region + ".amazonaws.com\"}}}]}";
        } else if (roll < 26) {
            grants = List.of(grant("rds." + region + ".amazonaws.com", key.createdAt()));
        }
        return new Key(key.id(), key.manager(), key.state(), key.spec(), key.usage(), key.origin(), key.description(),
                key.multiRegion(), key.createdAt(), key.deletionDate(), key.rotation(), key.tags(), key.aliases(),
                key.lastUsage(), key.cloudTrail(), key.noiseEvents(), key.faults(), policy, grants);
    }

    private Scenario.Grant grant(String grantee, Instant createdAt) {
        String id = String.format("%016x%016x%016x%016x", access.nextLong(), access.nextLong(), access.nextLong(),
                access.nextLong());
        return new Scenario.Grant(id, null, grantee, null, List.of("Decrypt", "GenerateDataKey"), null, createdAt);
    }

    private LastUsage recentUse() {
        Instant at = now.minus(Duration.ofMinutes(5 + random.nextInt(60 * 24 * 20)));
        return new LastUsage(at, random.nextBoolean() ? "Decrypt" : random.nextBoolean() ? "Encrypt" : "GenerateDataKey");
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        if (random.nextInt(5) > 0) {
            tags.put("team", TEAMS.get(random.nextInt(TEAMS.size())));
            tags.put("env", random.nextBoolean() ? "prod" : "staging");
        }
        return tags;
    }

    private int noise() {
        return random.nextInt(7);
    }

    private Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days));
    }

    private String uuid() {
        return new java.util.UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private String multiRegionId() {
        return "mrk-" + String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
