package dev.unusd.spokesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.RotationStatusForUnsupported;
import dev.unusd.spokesim.control.ControlPlane;
import dev.unusd.spokesim.kms.KmsService;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimClock;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimRole;
import dev.unusd.spokesim.scenario.ScenarioDefaults;
import dev.unusd.spokesim.sts.Principal;
import dev.unusd.spokesim.sts.Sessions;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.CallContext;
import dev.unusd.spokesim.wire.Caller;
import dev.unusd.spokesim.wire.Counters;
import dev.unusd.spokesim.wire.Gateway;
import dev.unusd.spokesim.wire.Quotas;
import dev.unusd.spokesim.wire.RandomIds;
import dev.unusd.spokesim.wire.ServerFaults;

/**
 * Simulated customer accounts (STS, KMS, CloudTrail) on one local port. Point the AWS SDK at {@link #endpoint()} for
 * all three services. Thread-safe; start one per test class.
 *
 * <pre>{@code
 * try (SpokeSim sim = SpokeSim.start(ScenarioReader.demo())) {
 *     sim.deployRole("100000000001", "UnusdSpokeRole", externalId);
 *     ... KmsClient.builder().endpointOverride(sim.endpoint()) ...
 * }
 * }</pre>
 */
public final class SpokeSim implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK add ~40 ms to every answer. Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Where to listen and how many requests to serve at once; port 0 picks a free port. */
    public record Options(String host, int port, int threads) {
        public static Options defaults() {
            return new Options("127.0.0.1", 0, 64);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, threads);
        }
    }

    private volatile Scenario scenario;
    private final Organisation organisation;
    private final Sessions sessions = new Sessions();
    private final Quotas quotas;
    private final Counters counters = new Counters();
    private final ServerFaults serverFaults;
    private final SimClock clock = new SimClock(Clock.systemUTC());
    private final HttpServer server;
    private final ExecutorService executor;

    private SpokeSim(Scenario loaded, Options options) throws IOException {
        Instant now = clock.now();
        this.scenario = ScenarioDefaults.complete(loaded, now);
        this.organisation = Organisation.load(scenario, now, templateActions());
        this.quotas = new Quotas(scenario.quotaScale(), scenario.quotas());
        this.serverFaults = new ServerFaults(scenario.seed(), scenario.serverErrorRate(), scenario.serverErrorRates(),
                scenario.latencyMs());
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread thread = new Thread(r, "spoke-sim-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", new Gateway(organisation, sessions, quotas, counters, serverFaults, clock,
                new ControlPlane(this, organisation)));
        server.start();
    }

    public static SpokeSim start(Scenario scenario) {
        return start(scenario, Options.defaults());
    }

    public static SpokeSim start(Scenario scenario, int port) {
        return start(scenario, Options.defaults().withPort(port));
    }

    public static SpokeSim start(Scenario scenario, Options options) {
        try {
            return new SpokeSim(scenario, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM actions a spoke role gets unless its scenario overrides them: those the shipped template grants. */
    public static Set<String> templateActions() {
        return TemplateActions.ACTIONS;
    }

    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /** The simulated accounts' time: the system clock plus every {@link #advanceClock} so far. */
    public Instant now() {
        return clock.now();
    }

    /**
     * Moves the simulated time forward for everything the simulator answers: sessions issued before may expire,
     * CloudTrail's 90-day window moves on, keys pending deletion whose date passes are deleted.
     */
    public void advanceClock(Duration by) {
        clock.advance(by);
    }

    /** The scenario as loaded, with the accounts added since: every key id generated, every relative date resolved. */
    public Scenario scenario() {
        return scenario;
    }

    public String hubAccountId() {
        return organisation.hubAccountId();
    }

    /**
     * Adds an account while the simulator runs (tests sharing one simulator each add their own), completed like a
     * scenario's: generated key ids, relative dates resolved now. Returns the account as loaded.
     */
    public Scenario.Account addAccount(Scenario.Account account) {
        Instant now = clock.now();
        Scenario.Account completed = new ScenarioDefaults(now, scenario.seed() ^ account.id().hashCode())
                .complete(account);
        organisation.add(completed, now, scenario.seed());
        synchronized (this) {
            java.util.List<Scenario.Account> accounts = new java.util.ArrayList<>(scenario.accounts());
            accounts.add(completed);
            scenario = scenario.withAccounts(accounts);
        }
        return completed;
    }

    /** The secret keys and session tokens STS has issued: what a caller must never log. */
    public java.util.List<String> issuedSecrets() {
        return sessions.secrets();
    }

    public CounterSnapshot counters() {
        return counters.snapshot();
    }

    public void resetCounters() {
        counters.reset();
    }

    // Roles: what a customer does with the template.

    /** Deploys (or redeploys) a role trusting the hub with this ExternalId, granting the template's actions. */
    public void deployRole(String accountId, String roleName, String externalId) {
        SimAccount account = organisation.account(accountId);
        Set<String> actions = account.role(roleName).map(SimRole::actions).orElse(templateActions());
        account.putRole(new SimRole(roleName, Optional.of(externalId), actions));
    }

    public void deleteRole(String accountId, String roleName) {
        organisation.account(accountId).removeRole(roleName);
    }

    /** Replaces the actions a role's policy allows, e.g. the template's minus one to see the hub fail clearly. */
    public void setRoleActions(String accountId, String roleName, Set<String> actions) {
        SimAccount account = organisation.account(accountId);
        SimRole role = account.role(roleName)
                .orElseThrow(() -> new IllegalArgumentException("no role " + roleName + " in account " + accountId));
        account.putRole(new SimRole(roleName, role.externalId(), actions));
    }

    /** Makes every issued session expired, so the next call with it gets ExpiredTokenException. */
    public void expireSessions() {
        sessions.expireAll(clock.now());
    }

    // Faults.

    public void setRegionEnabled(String accountId, String region, boolean enabled) {
        organisation.account(accountId).regionEnabled(region, enabled);
    }

    public void setCloudTrailDenied(String accountId, String region, boolean denied) {
        organisation.account(accountId).region(region).cloudTrailDenied(denied);
    }

    public void setKeyFaults(String accountId, String region, String keyId, KeyFaults faults) {
        key(accountId, region, keyId).faults(faults);
    }

    public void setKeyState(String accountId, String region, String keyId, KeyState state) {
        key(accountId, region, keyId).state(state);
    }

    /** Fraction (0..1) of calls answered with a 5xx, for every operation without a rate of its own. */
    public void setServerErrorRate(double rate) {
        serverFaults.rate(rate);
    }

    public void setServerErrorRate(String operation, double rate) {
        serverFaults.rate(operation, rate);
    }

    public void setLatency(long ms) {
        serverFaults.latencyMs(ms);
    }

    public void setLatency(String accountId, long ms) {
        organisation.account(accountId).latencyMs(ms);
    }

    /** Multiplies every default quota; buckets start full again. */
    public void setQuotaScale(double scale) {
        quotas.scale(scale);
    }

    /** An absolute rate for one operation (or "Cryptographic", "STS"), ignoring the scale. */
    public void setQuota(String operation, double perSecond) {
        quotas.override(operation, perSecond);
    }

    public void clearQuotaOverrides() {
        quotas.clearOverrides();
    }

    public Map<String, Double> quotas() {
        return quotas.effectiveRates();
    }

    public void setRotationStatusForUnsupported(RotationStatusForUnsupported answer) {
        organisation.rotationStatusForUnsupported(answer);
    }

    /** Clears the 5xx rates, added latency and quota overrides (not region, key or role changes). */
    public void clearServerFaults() {
        serverFaults.clear();
        organisation.accounts().forEach(a -> a.latencyMs(0));
        quotas.clearOverrides();
        quotas.scale(1.0);
    }

    public void apply(FaultChange change) {
        String account = change.accountId();
        if (change.regionEnabled() != null) {
            setRegionEnabled(required(account, "accountId"), required(change.region(), "region"), change.regionEnabled());
        }
        if (change.cloudTrailDenied() != null) {
            setCloudTrailDenied(required(account, "accountId"), required(change.region(), "region"),
                    change.cloudTrailDenied());
        }
        if (change.denyDescribeKey() != null || change.denyGetKeyLastUsage() != null
                || change.getKeyLastUsageUnsupported() != null) {
            SimKey key = key(required(account, "accountId"), required(change.region(), "region"),
                    required(change.keyId(), "keyId"));
            KeyFaults was = key.faults();
            key.faults(new KeyFaults(
                    change.denyDescribeKey() != null ? change.denyDescribeKey() : was.denyDescribeKey(),
                    change.denyGetKeyLastUsage() != null ? change.denyGetKeyLastUsage() : was.denyGetKeyLastUsage(),
                    change.getKeyLastUsageUnsupported() != null ? change.getKeyLastUsageUnsupported()
                            : was.getKeyLastUsageUnsupported()));
        }
        if (change.serverErrorRate() != null) {
            if (change.operation() != null) {
                setServerErrorRate(change.operation(), change.serverErrorRate());
            } else {
                setServerErrorRate(change.serverErrorRate());
            }
        }
        if (change.latencyMs() != null) {
            if (account != null) {
                setLatency(account, change.latencyMs());
            } else {
                setLatency(change.latencyMs());
            }
        }
        if (change.quotaScale() != null) {
            setQuotaScale(change.quotaScale());
        }
        if (change.quotaPerSecond() != null) {
            setQuota(required(change.operation(), "operation"), change.quotaPerSecond());
        }
        if (change.rotationStatusForUnsupported() != null) {
            setRotationStatusForUnsupported(change.rotationStatusForUnsupported());
        }
    }

    // Use.

    /**
     * Uses a key as its owner would (operation such as "Encrypt" or "Decrypt"): records last usage, unless the
     * region's tracking has not started, and a CloudTrail event. A key that cannot serve the operation records a
     * failed event and throws IllegalStateException with AWS's error code.
     */
    public void useKey(String accountId, String region, String keyId, String operation) {
        SimAccount account = organisation.account(accountId);
        SimKey key = key(accountId, region, keyId);
        CallContext call = new CallContext(new Caller(Principal.owner(accountId), "AKIAOWNER" + accountId, true),
                account, account.region(region), RandomIds.uuid(), clock.now());
        Map<String, Object> parameters = Map.of("keyId", key.arn(), "encryptionAlgorithm", "SYMMETRIC_DEFAULT");
        try {
            KmsService.usable(key, key.definition().usage());
        } catch (AwsError error) {
            call.region().events().append(call.event(operation, true, key, parameters, error));
            throw new IllegalStateException(error.code() + ": " + error.getMessage());
        }
        KmsService.recordUse(call, key, operation, parameters);
    }

    /** When a key was last used as GetKeyLastUsage would report it. */
    public Optional<Instant> lastUsed(String accountId, String region, String keyId) {
        SimKey.KeyUse use = key(accountId, region, keyId).lastUse();
        return Optional.ofNullable(use).map(SimKey.KeyUse::at);
    }

    private SimKey key(String accountId, String region, String keyId) {
        try {
            return organisation.account(accountId).region(region).resolve(keyId);
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String required(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required for this fault");
        }
        return value;
    }

    /** Read once: the template is on the classpath and never changes while we run. */
    private static final class TemplateActions {
        static final Set<String> ACTIONS = Set.copyOf(SpokeRoleTemplate.spokeRole().allowedActions());
    }
}
