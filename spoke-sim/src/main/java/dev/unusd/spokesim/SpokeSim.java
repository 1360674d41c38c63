package dev.unusd.spokesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;

import com.sun.net.httpserver.HttpServer;

import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.RotationStatusForUnsupported;
import dev.unusd.spokesim.control.ControlPlane;
import dev.unusd.spokesim.kms.KeyOwner;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimClock;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimRole;
import dev.unusd.spokesim.organizations.AwsOrganization;
import dev.unusd.spokesim.organizations.Organizations;
import dev.unusd.spokesim.scenario.ScenarioDefaults;
import dev.unusd.spokesim.sts.Sessions;
import dev.unusd.spokesim.wire.Counters;
import dev.unusd.spokesim.wire.Gateway;
import dev.unusd.spokesim.wire.Quotas;
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
        // Beyond 200 idle keep-alive connections (the JDK's default) the server closes each one as its answer is sent,
        // and a client that reuses it at once gets no answer: with 512 pooled connections, targets failed with "the
        // target server failed to respond" on all three attempts. AWS keeps a client's connections open while in use.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        }
    }

    /** Where to listen; port 0 picks a free port. */
    public record Options(String host, int port) {
        public static Options defaults() {
            return new Options("127.0.0.1", 0);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort);
        }
    }

    private volatile Scenario scenario;
    private final Organisation organisation;
    private final Sessions sessions = new Sessions();
    private final Quotas quotas;
    private final Counters counters = new Counters();
    private final ServerFaults serverFaults;
    private final SimClock clock = new SimClock(Clock.systemUTC());
    private final KeyOwner keyOwner;
    private final Organizations organizations;
    /** Per organisation, the accounts its StackSet has deployed the spoke role to. */
    private final Map<String, Set<String>> stackSetInstances = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private SpokeSim(Scenario loaded, Options options) throws IOException {
        Instant now = clock.now();
        this.scenario = ScenarioDefaults.complete(loaded, now);
        this.organisation = Organisation.load(scenario, now, templateActions());
        this.keyOwner = new KeyOwner(organisation, clock);
        this.organizations = new Organizations(scenario.seed());
        scenario.organizations().forEach(o -> loadOrganization(o, now));
        this.quotas = new Quotas(scenario.quotaScale(), scenario.quotas());
        this.serverFaults = new ServerFaults(scenario.seed(), scenario.serverErrorRate(), scenario.serverErrorRates(),
                scenario.latencyMs());
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        // A request per virtual thread: the added latency is a sleep, and AWS's servers do not cap the requests
        // answered at once (its quotas do, per account, region and operation). A pool of 64 threads did, at 3,200
        // calls a second with 20 ms latency and 640 with 100 ms: below what one hub asks of a large organisation.
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("spoke-sim-", 1).factory());
        server.setExecutor(executor);
        server.createContext("/", new Gateway(organisation, sessions, quotas, counters, serverFaults, clock,
                organizations, new ControlPlane(this, organisation)));
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

    /**
     * Back to the system clock after {@link #advanceClock}: for a test that shares this simulator with tests running
     * on real time. The accounts it used while ahead should not be used again.
     */
    public void resetClock() {
        clock.reset();
    }

    /**
     * AssumeRole into the account's roles names {@code otherAccountId} in its AssumedRoleUser, as an endpoint answering
     * in another account's name would; null restores the account's own.
     */
    public void setSessionAccount(String accountId, @Nullable String otherAccountId) {
        organisation.account(accountId).sessionAccount(otherAccountId);
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

    /**
     * Deploys org-reader-role.yaml: a role trusting the hub with this ExternalId, granting the template's
     * Organizations read actions, for account discovery in a management or delegated administrator account.
     */
    public void deployOrgReaderRole(String accountId, String roleName, String externalId) {
        organisation.account(accountId).putRole(new SimRole(roleName, Optional.of(externalId),
                SpokeRoleTemplate.orgReaderRole().allowedActions()));
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
        key(accountId, region, keyId).forceState(state, clock.now());
    }

    /** Fraction (0..1) of calls answered with a 5xx, for every operation without a rate of its own. */
    public void setServerErrorRate(double rate) {
        serverFaults.rate(rate);
    }

    public void setServerErrorRate(String operation, double rate) {
        serverFaults.rate(operation, rate);
    }

    /** The account's KMS or CloudTrail calls of {@code operation} answer as an operation the simulator lacks. */
    public void setUnsupportedOperation(String accountId, String operation, boolean unsupported) {
        serverFaults.unsupported(accountId, operation, unsupported);
    }

    /**
     * A 5xx rate (0..1) for one operation in one account only, so tests sharing a simulator do not disturb each
     * other: KMS answers KMSInternalException, CloudTrail and STS InternalFailure (HTTP 500). For AssumeRole the
     * account is the role's. 0 removes it.
     */
    public void setServerErrorRate(String accountId, String operation, double rate) {
        serverFaults.rate(accountId, operation, rate);
    }

    /**
     * Every call of the operation in the account answers ThrottlingException (STS: Throttling), HTTP 400, as when its
     * quota is exhausted; false lifts it. For AssumeRole the account is the role's.
     */
    public void setThrottled(String accountId, String operation, boolean always) {
        serverFaults.throttled(accountId, operation, always);
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

    /**
     * Clears the 5xx rates, throttled operations, added latency and quota overrides (not region, key or role
     * changes).
     */
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
                || change.getKeyLastUsageUnsupported() != null || change.rotationsLag() != null
                || change.omitTrackingStartDate() != null || change.omitLastUsageTimestamp() != null
                || change.omitKeyManager() != null) {
            SimKey key = key(required(account, "accountId"), required(change.region(), "region"),
                    required(change.keyId(), "keyId"));
            KeyFaults was = key.faults();
            key.faults(new KeyFaults(
                    change.denyDescribeKey() != null ? change.denyDescribeKey() : was.denyDescribeKey(),
                    change.denyGetKeyLastUsage() != null ? change.denyGetKeyLastUsage() : was.denyGetKeyLastUsage(),
                    change.getKeyLastUsageUnsupported() != null ? change.getKeyLastUsageUnsupported()
                            : was.getKeyLastUsageUnsupported(),
                    change.rotationsLag() != null ? change.rotationsLag() : was.rotationsLag(),
                    change.omitTrackingStartDate() != null ? change.omitTrackingStartDate()
                            : was.omitTrackingStartDate(),
                    change.omitLastUsageTimestamp() != null ? change.omitLastUsageTimestamp()
                            : was.omitLastUsageTimestamp(),
                    change.omitKeyManager() != null ? change.omitKeyManager() : was.omitKeyManager()));
        }
        if (change.serverErrorRate() != null) {
            if (account != null) {
                setServerErrorRate(account, required(change.operation(), "operation"), change.serverErrorRate());
            } else if (change.operation() != null) {
                setServerErrorRate(change.operation(), change.serverErrorRate());
            } else {
                setServerErrorRate(change.serverErrorRate());
            }
        }
        if (change.throttled() != null) {
            setThrottled(required(account, "accountId"), required(change.operation(), "operation"), change.throttled());
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

    // Keys: what their owner does with them. Each call happens at simulated now.

    /**
     * Uses a key as its owner would (a cryptographic operation such as "Encrypt" or "Decrypt"): a CloudTrail event,
     * and the last usage GetKeyLastUsage reports once the region's tracking has started. A key that cannot serve the
     * operation records a failed event and throws IllegalStateException starting with AWS's error code.
     */
    public void useKey(String accountId, String region, String keyId, String operation) {
        useKey(accountId, region, keyId, operation, null);
    }

    /**
     * A cryptographic call on the key. With an errorCode (AccessDeniedException, DisabledException, ...) the call
     * failed: only a CloudTrail event carrying that errorCode, which is not use. Without, as
     * {@link #useKey(String, String, String, String)}.
     */
    public void useKey(String accountId, String region, String keyId, String operation, @Nullable String errorCode) {
        keyOwner.use(accountId, region, keyId, operation, errorCode);
    }

    /** When a key was last used as GetKeyLastUsage would report it. */
    public Optional<Instant> lastUsed(String accountId, String region, String keyId) {
        SimKey.KeyUse use = key(accountId, region, keyId).lastUse();
        return Optional.ofNullable(use).map(SimKey.KeyUse::at);
    }

    /**
     * Moves the region's usage tracking start: GetKeyLastUsage then reports each key's newest successful use at or
     * after it, from every use the simulator holds (those a scenario loaded included).
     */
    public void setTrackingStartDate(String accountId, String region, Instant at) {
        keyOwner.setTrackingStartDate(accountId, region, at);
    }

    /** A customer managed symmetric key, enabled, rotation off, created now; CloudTrail records CreateKey. */
    public String createKey(String accountId, String region, String description) {
        return keyOwner.createKey(accountId, region, description);
    }

    public void disableKey(String accountId, String region, String keyId) {
        keyOwner.disable(accountId, region, keyId);
    }

    public void enableKey(String accountId, String region, String keyId) {
        keyOwner.enable(accountId, region, keyId);
    }

    /**
     * PendingDeletion, deleted when the clock passes DeletionDate (now + 7 to 30 days): then the key leaves ListKeys,
     * every call on it is NotFoundException and its aliases are gone.
     */
    public void scheduleKeyDeletion(String accountId, String region, String keyId, int pendingWindowDays) {
        keyOwner.scheduleDeletion(accountId, region, keyId, pendingWindowDays);
    }

    /** Back to Disabled, as KMS leaves a key whose deletion is cancelled. */
    public void cancelKeyDeletion(String accountId, String region, String keyId) {
        keyOwner.cancelDeletion(accountId, region, keyId);
    }

    /** EnableKeyRotation with a period (90-2560 days; null: 365), the first rotation one period from now, or off. */
    public void setRotation(String accountId, String region, String keyId, boolean enabled,
            @Nullable Integer periodDays) {
        keyOwner.setRotation(accountId, region, keyId, enabled, periodDays);
    }

    /**
     * On-demand rotation: ListKeyRotations gains an ON_DEMAND entry now. A key with imported key material rotates to
     * the material pending rotation; when there is none, new material is imported first (ImportKeyMaterial).
     */
    public void rotateKeyNow(String accountId, String region, String keyId) {
        keyOwner.rotateNow(accountId, region, keyId);
    }

    /**
     * ImportKeyMaterial with ImportType NEW_KEY_MATERIAL into a symmetric key with imported key material: listed
     * (ALL_KEY_MATERIAL) as PENDING_ROTATION, not a rotation, until {@link #rotateKeyNow} makes it current.
     */
    public void importKeyMaterial(String accountId, String region, String keyId) {
        keyOwner.importNewKeyMaterial(accountId, region, keyId);
    }

    public void tagKey(String accountId, String region, String keyId, String tagKey, String value) {
        keyOwner.tag(accountId, region, keyId, tagKey, value);
    }

    public void untagKey(String accountId, String region, String keyId, String tagKey) {
        keyOwner.untag(accountId, region, keyId, tagKey);
    }

    /** Deletes the key now, as if its deletion had completed. */
    public void deleteKeyNow(String accountId, String region, String keyId) {
        keyOwner.deleteNow(accountId, region, keyId);
    }

    /** The simulator's own view of the region's keys as of now, in ListKeys order. */
    public List<KeyTruth> keys(String accountId, String region) {
        return keyOwner.keys(accountId, region);
    }

    // AWS Organizations: what the organisation's administrators do.

    /** A new organisation with this management account under its root; returns its id (o-...). */
    public String createOrganization(String managementAccountId) {
        return organizations.create(managementAccountId, nameOf(managementAccountId), clock.now()).id();
    }

    /** A scenario's organisation, its OUs and members as laid out there; returns its id (o-...). */
    public String addOrganization(Scenario.Organization layout) {
        return loadOrganization(layout, clock.now());
    }

    public AwsOrganization organization(String organizationId) {
        return organizations.get(organizationId);
    }

    public List<AwsOrganization> organizations() {
        return organizations.all();
    }

    /** A new OU under the root or another OU; returns its id (ou-...). */
    public String createOrganizationalUnit(String organizationId, String parentId, String name) {
        return organizations.get(organizationId).createUnit(parentId, name);
    }

    /**
     * The account joins the organisation (ACTIVE, under the parent, with these tags) or, when it is a member, moves
     * there and takes these tags; the StackSet's auto-deployment follows.
     */
    public void joinOrganization(String organizationId, String accountId, String parentId, Map<String, String> tags) {
        // A member keeps the name it has there, renamed or not.
        String name = organizations.get(organizationId).find(accountId).map(AwsOrganization.Member::name)
                .orElseGet(() -> nameOf(accountId));
        organizations.put(organizationId, accountId, parentId, name, AwsOrganization.State.ACTIVE, tags, clock.now());
        reconcileStackSet(organizationId);
    }

    public void moveAccount(String organizationId, String accountId, String parentId) {
        organizations.get(organizationId).move(accountId, parentId);
        reconcileStackSet(organizationId);
    }

    /** The member's name as Organizations answers it from now on; its place, state, tags and roles stay. */
    public void renameAccount(String organizationId, String accountId, String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("an account's name must not be blank");
        }
        organizations.get(organizationId).rename(accountId, name);
    }

    /** SUSPENDED, PENDING_CLOSURE, CLOSED (or back to ACTIVE): the member keeps its place and tags. */
    public void setAccountState(String organizationId, String accountId, AwsOrganization.State state) {
        AwsOrganization organization = organizations.get(organizationId);
        AwsOrganization.Member member = organization.find(accountId)
                .orElseThrow(() -> new IllegalArgumentException("account " + accountId + " is not in " + organizationId));
        organization.put(accountId, member.parentId(), member.name(), state, member.tags(), clock.now());
        reconcileStackSet(organizationId);
    }

    /** The account leaves the organisation; a StackSet's role goes with it (RetainStacksOnAccountRemoval false). */
    public void leaveOrganization(String organizationId, String accountId) {
        organizations.get(organizationId).remove(accountId);
        reconcileStackSet(organizationId);
    }

    public void delegateOrganizationAdministration(String organizationId, String accountId) {
        organizations.get(organizationId).delegateAdministration(accountId);
    }

    /**
     * The service-managed StackSet with auto-deployment (spoke-stackset.yaml): the spoke role trusting this ExternalId
     * in every simulated, ACTIVE member account under the targets (root or OU ids) but the management account, now
     * and whenever one joins or moves in; removed when one leaves, moves out or stops being ACTIVE.
     */
    public void deployStackSet(String organizationId, String roleName, String externalId, Set<String> targets) {
        organizations.stackSet(organizationId, new Organizations.StackSet(roleName, externalId, targets));
        reconcileStackSet(organizationId);
    }

    /** Whether accounts carry the legacy Status field beside State (AWS retires Status on 9 September 2026). */
    public void setOrganizationsLegacyStatus(boolean include) {
        organizations.legacyStatus(include);
    }

    private synchronized void reconcileStackSet(String organizationId) {
        Optional<Organizations.StackSet> stackSet = organizations.stackSet(organizationId);
        if (stackSet.isEmpty()) {
            return;
        }
        AwsOrganization organization = organizations.get(organizationId);
        Set<String> instances = stackSetInstances.computeIfAbsent(organizationId,
                id -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        Set<String> wanted = new java.util.HashSet<>();
        for (AwsOrganization.Member member : organization.members()) {
            if (!member.accountId().equals(organization.managementAccountId())
                    && member.state() == AwsOrganization.State.ACTIVE
                    && organisation.findAccount(member.accountId()).isPresent()
                    && organization.within(member.accountId(), stackSet.get().targets())) {
                wanted.add(member.accountId());
            }
        }
        for (String accountId : wanted) {
            deployRole(accountId, stackSet.get().roleName(), stackSet.get().externalId());
        }
        for (String accountId : Set.copyOf(instances)) {
            if (!wanted.contains(accountId)) {
                deleteRole(accountId, stackSet.get().roleName());
            }
        }
        instances.clear();
        instances.addAll(wanted);
    }

    private String nameOf(String accountId) {
        return organisation.findAccount(accountId).map(SimAccount::name).orElse("account-" + accountId);
    }

    private String loadOrganization(Scenario.Organization layout, Instant now) {
        AwsOrganization organization = organizations.create(layout.managementAccountId(),
                nameOf(layout.managementAccountId()), now);
        placeAccounts(organization, organization.rootId(), layout.accounts(), layout.tags(), now);
        loadUnits(organization, organization.rootId(), layout.units(), layout.tags(), now);
        return organization.id();
    }

    private void loadUnits(AwsOrganization organization, String parentId, List<Scenario.OrganizationalUnit> units,
            Map<String, Map<String, String>> tags, Instant now) {
        for (Scenario.OrganizationalUnit unit : units) {
            String unitId = organization.createUnit(parentId, unit.name());
            placeAccounts(organization, unitId, unit.accounts(), tags, now);
            loadUnits(organization, unitId, unit.units(), tags, now);
        }
    }

    private void placeAccounts(AwsOrganization organization, String parentId, List<String> accountIds,
            Map<String, Map<String, String>> tags, Instant now) {
        for (String accountId : accountIds) {
            organizations.put(organization.id(), accountId, parentId, nameOf(accountId), AwsOrganization.State.ACTIVE,
                    tags.getOrDefault(accountId, Map.of()), now);
        }
    }

    private SimKey key(String accountId, String region, String keyId) {
        return keyOwner.key(accountId, region, keyId);
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
