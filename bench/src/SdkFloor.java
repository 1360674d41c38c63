import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The floor under the scan benchmark (scan-bench.sh --floor): the AWS calls of a scan, made with the hub's SDK setup
 * and nothing else. The setup: one Apache HTTP client shared by every region's KMS and CloudTrail clients, one
 * AssumeRole per account, the account's credentials bound around each call, four keys of a region at once on virtual
 * threads, at most four regions of an account and 1,000 targets at once. Nothing else: no database, no rules, no
 * findings, no incremental state, so what a scan costs beyond this is the hub's own work.
 *
 * <p>Every pass makes the calls of a first scan: ListKeys, ListAliases and DescribeKey; for a customer key its tags,
 * policy and grants, GetKeyRotationStatus and ListKeyRotations (a symmetric key with KMS's key material, as the hub
 * asks), and its usage: GetKeyLastUsage or, as the hub's CloudTrail assist does, a LookupEvents search of the window,
 * whichever quota frees first, and a search of the gap when GetKeyLastUsage leaves the window's start unknown. The
 * rate-limited calls keep to the simulator's quotas per account-region, as the hub's pacing does; a throttled call
 * waits a second and is made again.
 *
 * <p>Reads a line from standard input before each pass, so the driver can read its CPU and the simulator's counters
 * around it, and prints one line per pass: {@code PASS n wallMs targetsOk targetsSkipped keys}.
 */
// ApacheHttpClient: the hub's own (SpokeClients); deprecated for apache5-client, which measured no faster.
@SuppressWarnings("deprecation")
public final class SdkFloor {

    private static final ScopedValue<AwsCredentialsProvider> ACCOUNT = ScopedValue.newInstance();
    /** The hub's defaults: HUB_SCAN_MAX_REGIONS_PER_ACCOUNT and HUB_KMS_KEY_CONCURRENCY. */
    private static final int MAX_REGIONS_PER_ACCOUNT = 4;
    private static final int KEY_CONCURRENCY = 4;

    record Target(String account, String region) {
    }

    private final List<Target> targets;
    private final String role;
    private final String externalId;
    private final Duration window;
    private final double lastUsageQuota;
    private final double lookupQuota;
    private final StsClient sts;
    private final SdkHttpClient http;
    private final Map<String, KmsClient> kms = new ConcurrentHashMap<>();
    private final Map<String, CloudTrailClient> cloudTrail = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> sessions = new ConcurrentHashMap<>();
    /** Targets in flight: the hub's default HUB_SCAN_MAX_TARGETS_IN_FLIGHT. */
    private final Semaphore inFlight;
    private final Map<String, Semaphore> regionsPerAccount = new ConcurrentHashMap<>();
    private final AtomicInteger keys = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();

    private SdkFloor(List<Target> targets, String role, String externalId, Duration window, double lastUsageQuota,
            double lookupQuota, int inFlight) {
        this.targets = targets;
        this.role = role;
        this.externalId = externalId;
        this.window = window;
        this.lastUsageQuota = lastUsageQuota;
        this.lookupQuota = lookupQuota;
        this.inFlight = new Semaphore(inFlight);
        // The endpoint, region and hub credentials come from the environment, as the hub's do.
        this.sts = StsClient.create();
        this.http = ApacheHttpClient.builder().maxConnections(512).connectionTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<Target> targets = Files.readAllLines(Path.of(options.get("targets"))).stream()
                .filter(line -> !line.isBlank()).map(line -> line.split(" "))
                .map(parts -> new Target(parts[0], parts[1])).toList();
        SdkFloor floor = new SdkFloor(targets, options.get("role"), options.get("external-id"),
                Duration.ofDays(Long.parseLong(options.getOrDefault("window-days", "90"))),
                Double.parseDouble(options.getOrDefault("last-usage-quota", "5")),
                Double.parseDouble(options.getOrDefault("lookup-quota", "2")),
                Integer.parseInt(options.getOrDefault("in-flight", "1000")));
        int passes = Integer.parseInt(options.getOrDefault("passes", "2"));
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in));
        for (int pass = 1; pass <= passes; pass++) {
            System.out.println("READY " + pass);
            System.out.flush();
            if (input.readLine() == null) {
                return;
            }
            floor.pass(pass);
        }
        System.exit(0);
    }

    private void pass(int pass) throws Exception {
        keys.set(0);
        skipped.set(0);
        long t0 = System.nanoTime();
        try (ExecutorService scans = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (Target target : targets) {
                running.add(scans.submit(() -> {
                    Semaphore account = regionsPerAccount.computeIfAbsent(target.account(),
                            a -> new Semaphore(MAX_REGIONS_PER_ACCOUNT));
                    inFlight.acquireUninterruptibly();
                    account.acquireUninterruptibly();
                    try {
                        scan(target);
                    } finally {
                        account.release();
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("PASS %d %d %d %d %d%n", pass, wallMs, targets.size() - skipped.get(), skipped.get(),
                keys.get());
        System.out.flush();
    }

    private void scan(Target target) throws Exception {
        AwsCredentialsProvider credentials = sessions.computeIfAbsent(target.account(), this::assumeRole);
        KmsClient kms = this.kms.computeIfAbsent(target.region(), r -> KmsClient.builder().region(Region.of(r))
                .httpClient(http).credentialsProvider(SdkFloor::bound)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build());
        CloudTrailClient cloudTrail = this.cloudTrail.computeIfAbsent(target.region(), r -> CloudTrailClient.builder()
                .region(Region.of(r)).httpClient(http).credentialsProvider(SdkFloor::bound)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build());
        Pace lastUsage = new Pace(lastUsageQuota);
        Pace lookups = new Pace(lookupQuota);
        List<String> keyIds = new ArrayList<>();
        try {
            String marker = null;
            do {
                String from = marker;
                ListKeysResponse page = call(credentials, () -> kms.listKeys(r -> r.limit(1000).marker(from)));
                page.keys().forEach(k -> keyIds.add(k.keyId()));
                marker = page.truncated() ? page.nextMarker() : null;
            } while (marker != null);
        } catch (AwsServiceException e) {
            // A region the account has not enabled: one call, skipped, as the hub records it.
            skipped.incrementAndGet();
            return;
        }
        if (keyIds.isEmpty()) {
            return;
        }
        keys.addAndGet(keyIds.size());
        try (ExecutorService inspections = Executors.newFixedThreadPool(Math.min(KEY_CONCURRENCY, keyIds.size()),
                Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (String keyId : keyIds) {
                running.add(inspections.submit(() -> {
                    inspect(credentials, kms, cloudTrail, keyId, lastUsage, lookups);
                    return null;
                }));
            }
            String marker = null;
            do {
                String from = marker;
                ListAliasesResponse page = call(credentials, () -> kms.listAliases(r -> r.limit(100).marker(from)));
                marker = page.truncated() ? page.nextMarker() : null;
            } while (marker != null);
            for (Future<?> future : running) {
                future.get();
            }
        }
    }

    private void inspect(AwsCredentialsProvider credentials, KmsClient kms, CloudTrailClient cloudTrail, String keyId,
            Pace lastUsage, Pace lookups) throws Exception {
        KeyMetadata key = call(credentials, () -> kms.describeKey(r -> r.keyId(keyId))).keyMetadata();
        if (key.keyManager() != KeyManagerType.CUSTOMER) {
            return;
        }
        String arn = key.arn();
        // Usage first, on a thread of its own: it waits for the region's pace while the other calls go on (the hub's
        // order).
        try (ExecutorService usageThread = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> usage = usageThread.submit(() -> {
                usage(credentials, kms, cloudTrail, key, lastUsage, lookups);
                return null;
            });
            call(credentials, () -> kms.listResourceTags(r -> r.keyId(arn).limit(50)));
            if (key.keySpec() == KeySpec.SYMMETRIC_DEFAULT && key.origin() == OriginType.AWS_KMS) {
                rotation(credentials, kms, key);
            }
            call(credentials, () -> kms.getKeyPolicy(r -> r.keyId(arn).policyName("default")));
            call(credentials, () -> kms.listGrants(r -> r.keyId(arn).limit(100)));
            usage.get();
        }
    }

    /** As the hub: the status, then every key material unless the status was refused (e.g. pending deletion). */
    private void rotation(AwsCredentialsProvider credentials, KmsClient kms, KeyMetadata key) {
        String arn = key.arn();
        try {
            call(credentials, () -> kms.getKeyRotationStatus(r -> r.keyId(arn)));
        } catch (AwsServiceException e) {
            return;
        }
        call(credentials, () -> kms.listKeyRotations(r -> r.keyId(arn)
                .includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL).limit(1000)));
    }

    /**
     * The hub's CloudTrail assist: a key takes whichever of the two quotas frees first, GetKeyLastUsage or a
     * LookupEvents search of the whole window, so a region needs its keys / (5 + 2) seconds, not keys / 5.
     */
    private void usage(AwsCredentialsProvider credentials, KmsClient kms, CloudTrailClient cloudTrail, KeyMetadata key,
            Pace lastUsage, Pace lookups) throws InterruptedException {
        String arn = key.arn();
        Instant windowStart = Instant.now().minus(window);
        if (Pace.sooner(lookups, lastUsage) == lookups) {
            Instant now = Instant.now();
            call(credentials, () -> cloudTrail.lookupEvents(r -> r.startTime(windowStart).endTime(now)
                    .lookupAttributes(byResource(arn))));
            return;
        }
        GetKeyLastUsageResponse usage = call(credentials, () -> kms.getKeyLastUsage(r -> r.keyId(arn)));
        Instant tracking = usage.trackingStartDate();
        boolean used = usage.keyLastUsage() != null && usage.keyLastUsage().timestamp() != null;
        if (!used && tracking != null && tracking.isAfter(windowStart) && key.creationDate().isBefore(tracking)) {
            lookups.await();
            call(credentials, () -> cloudTrail.lookupEvents(r -> r.startTime(windowStart).endTime(tracking)
                    .lookupAttributes(byResource(arn))));
        }
    }

    private static LookupAttribute byResource(String arn) {
        return LookupAttribute.builder().attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(arn).build();
    }

    /** The account's credentials bound around one call, as the hub's shared clients resolve them. */
    private <T> T call(AwsCredentialsProvider credentials, Supplier<T> call) {
        while (true) {
            try {
                return ScopedValue.where(ACCOUNT, credentials).call(call::get);
            } catch (AwsServiceException e) {
                if (!e.isThrottlingException()) {
                    throw e;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static AwsCredentials bound() {
        return ACCOUNT.get().resolveCredentials();
    }

    private AwsCredentialsProvider assumeRole(String account) {
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/" + role)
                .externalId(externalId).roleSessionName("sdk-floor").durationSeconds(3600)).credentials();
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                c.sessionToken()));
    }

    /** One operation's quota in one account-region: calls spaced 1/quota apart, the first at once. */
    private static final class Pace {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pace(double perSecond) {
            this.intervalNanos = (long) (1e9 / perSecond);
        }

        void await() throws InterruptedException {
            sleep(reserve());
        }

        /** Waits for the permit of whichever frees first, {@code a} on a tie, and returns that one. */
        static Pace sooner(Pace a, Pace b) throws InterruptedException {
            long wait;
            Pace chosen;
            // Always a before b: the callers pass the same order, so two choosers never hold the locks crosswise.
            synchronized (a) {
                synchronized (b) {
                    chosen = a.next <= b.next ? a : b;
                    wait = chosen.reserve();
                }
            }
            sleep(wait);
            return chosen;
        }

        /** The wait in nanoseconds for the next permit, which is taken. */
        private synchronized long reserve() {
            long now = System.nanoTime();
            long at = Math.max(now, next);
            next = at + intervalNanos;
            return at - now;
        }

        private static void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                Thread.sleep(Duration.ofNanos(nanos));
            }
        }
    }
}
