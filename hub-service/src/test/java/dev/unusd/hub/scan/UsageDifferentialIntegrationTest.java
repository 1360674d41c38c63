package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.aws.SpokeClients;
import dev.unusd.hub.aws.TestSpokeClients;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.finding.FindingReconciler;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.KmsProperties;
import dev.unusd.hub.kms.RecordingKeyInventory;
import dev.unusd.hub.kms.RegionSnapshot;
import dev.unusd.hub.kms.UsageMode;
import dev.unusd.hub.kms.UsagePath;
import dev.unusd.hub.kms.UsagePolicy;
import dev.unusd.hub.kms.UsageSpans;
import dev.unusd.hub.organization.OrganizationApi;
import dev.unusd.hub.rule.FindingDraft;
import dev.unusd.hub.rule.KeyCost;
import dev.unusd.hub.rule.RuleSettings;
import dev.unusd.hub.rule.Rules;
import dev.unusd.hub.scan.KeyHistory.Action;
import dev.unusd.hub.scan.KeyHistory.Fault;
import dev.unusd.hub.scan.KeyHistory.PastKey;
import dev.unusd.hub.scan.KeyHistory.PastUse;
import dev.unusd.hub.scan.KeyHistory.Step;
import dev.unusd.hub.scan.KeyHistory.Timed;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.spokesim.KeyTruth;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.ScenarioReader;
import dev.unusd.spokesim.SpokeSim;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.sts.StsClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * The incremental machinery (rescans that skip keys, stored spans, the CloudTrail assist, the gap sweep) must give the
 * verdicts a from-scratch scan gives. Random key histories ({@link KeyHistory}) are replayed on the simulator, days
 * passing between scans on a clock the hub and the simulator share; after every scan each key's usage status, last
 * use and findings as the hub stored them are compared with (a) a from-scratch collection of the same region at the
 * same moment, judged by the same rules, and (b) an oracle computed from the simulator's ground truth. Where a fault
 * was injected, a verdict may be unknown but never wrong, and a failed target changes nothing. A history with a
 * difference is shrunk (steps and actions dropped while it still differs) and printed with its seed.
 * <p>
 * {@code -Ddifferential.histories=10000} runs more ({@code bench/differential.sh}); {@code -Ddifferential.seed} picks
 * the first seed. Where no fault was injected, each key's rotations and monthly cost are compared the same way: the
 * stored count that a rescan keeps while the key material is unchanged must be the count a from-scratch scan makes.
 */
class UsageDifferentialIntegrationTest extends EngineIntegrationTest {

    private static final int HISTORIES = Integer.getInteger("differential.histories", 300);
    private static final long FIRST_SEED = Long.getLong("differential.seed", 1L);
    /** Replays just these seeds (comma-separated), e.g. those a longer run printed. */
    private static final String SEEDS = System.getProperty("differential.seeds", "");
    private static final String REGION = "us-east-1";
    /** Small LookupEvents pages: sweeps and searches span several, and a sweep's budget matters. */
    private static final KmsProperties PROPERTIES = new KmsProperties(4, true, true,
            new KmsProperties.PageSizes(1000, 100, 50, 1000, 10, 100));

    @Autowired
    AccountApi accountApi;
    @Autowired
    TenantApi tenantApi;
    @Autowired
    FindingReconciler reconciler;
    @Autowired
    StsClient sts;
    @Autowired
    ScanProperties scanProperties;
    @Autowired
    CrashPoints crashPoints;
    @Autowired
    OrganizationApi organizations;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    ScanStatistics statistics;
    @Autowired
    Scans scans;

    private final SharedClock clock = new SharedClock();
    /** One tenant for every history: each history is an account of its own, with the tenant's settings reset. */
    private TenantHandle tenant;
    private ObjectNode settings;
    private SpokeClients clients;
    private RecordingKeyInventory inventory;
    private KmsRegionScanner incremental;

    @BeforeEach
    void hubWithItsOwnClock() {
        // GetKeyLastUsage paced ahead of LookupEvents as AWS's quotas are (5 and 2), only faster: both paths occur.
        // AWS's quotas, scaled up with the hub's pace, so histories replay in milliseconds.
        sim().setQuotaScale(200);
        clients = TestSpokeClients.at(5000, Map.of("GetKeyLastUsage", 500.0, "LookupEvents", 200.0), 2, sts,
                new SimpleMeterRegistry());
        inventory = new RecordingKeyInventory(PROPERTIES);
        incremental = new KmsRegionScanner(accountApi, tenantApi, clients, inventory, reconciler, UsageMode.LAST_USAGE,
                scanProperties, clock, crashPoints, organizations, transactions, statistics, scans);
    }

    @AfterEach
    void simulatorBackToRealTime() {
        clients.destroy();
        sim().setQuotaScale(1);
        sim().resetClock();
    }

    @Test
    void incrementalVerdictsEqualFromScratchScansAndTheTruth() {
        Tally tally = new Tally();
        List<String> reports = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        for (String seed : SEEDS.split(",")) {
            if (!seed.isBlank()) {
                seeds.add(Long.parseLong(seed.strip()));
            }
        }
        if (seeds.isEmpty()) {
            for (long seed = FIRST_SEED; seed < FIRST_SEED + HISTORIES; seed++) {
                seeds.add(seed);
            }
        }
        for (long seed : seeds) {
            KeyHistory history = KeyHistory.generate(seed);
            List<String> differences = replay(history, tally);
            if (!differences.isEmpty()) {
                reports.add(shrink(history, differences));
            }
        }
        System.out.println("differential: " + seeds.size() + " histories, " + tally.scans + " scans, " + reports.size()
                + " differences");
        System.out.println("differential paths (keys per scan): " + tally.paths + "; targets failed by faults: "
                + tally.failedTargets + "; verdicts left unknown by faults: " + tally.unknown);
        reports.forEach(System.out::println);
        assertThat(reports).as("histories whose verdicts differ").isEmpty();
        // A handful of seeds replayed by hand need not take every path; a run of generated histories must.
        assertThat(SEEDS.isBlank() ? tally.paths.keySet() : EnumSet.allOf(UsagePath.class))
                .as("every path of the incremental machinery was taken")
                .containsAll(Set.of(UsagePath.SKIPPED, UsagePath.STORED_SPANS, UsagePath.LAST_USAGE,
                        UsagePath.CLOUDTRAIL_ASSIST, UsagePath.GAP_SWEEP, UsagePath.CLOUDTRAIL_SEARCH,
                        UsagePath.UNKNOWN));
    }

    /**
     * Drops steps, then actions, then faults, while the history still differs; the smallest, as a person reads it,
     * with the differences its last replay found.
     */
    private String shrink(KeyHistory history, List<String> found) {
        KeyHistory smallest = history;
        List<String> differences = found;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            List<Step> steps = smallest.steps();
            for (int s = 0; s < steps.size() && !smaller; s++) {
                List<List<Step>> candidates = new ArrayList<>();
                List<Step> without = new ArrayList<>(steps);
                without.remove(s);
                candidates.add(without);
                for (int a = 0; a < steps.get(s).actions().size(); a++) {
                    List<Step> fewer = new ArrayList<>(steps);
                    fewer.set(s, steps.get(s).without(a));
                    candidates.add(fewer);
                }
                if (steps.get(s).fault() != null) {
                    List<Step> calmer = new ArrayList<>(steps);
                    calmer.set(s, steps.get(s).withoutFault());
                    candidates.add(calmer);
                }
                for (List<Step> candidate : candidates) {
                    List<String> again = candidate.isEmpty() ? List.of()
                            : replay(smallest.withSteps(candidate), new Tally());
                    if (!again.isEmpty()) {
                        smallest = smallest.withSteps(candidate);
                        differences = again;
                        smaller = true;
                        break;
                    }
                }
            }
        }
        return smallest.describe() + "  differences: " + differences + "\n";
    }

    /** Replays one history in an account of its own; the differences found after each scan. */
    private List<String> replay(KeyHistory history, Tally tally) {
        Region region = start(history);
        List<String> differences = new ArrayList<>();
        int number = 0;
        for (Step step : history.steps()) {
            number++;
            for (Timed timed : step.actions()) {
                sim().advanceClock(timed.after());
                act(region, timed.action());
            }
            sim().advanceClock(step.pause());
            if (step.unusedDays() != null) {
                region.unusedDays = step.unusedDays();
                putUnusedDays(step.unusedDays());
            }
            String label = "step " + number + ": ";
            if (step.fault() != null) {
                inject(region, step.fault(), true);
            }
            try {
                differences.addAll(scanAndCompare(region, step.fault() != null, tally).stream()
                        .map(d -> label + d).toList());
            } finally {
                if (step.fault() != null) {
                    inject(region, step.fault(), false);
                }
            }
        }
        return differences;
    }

    private static final class Region {
        final Target target;
        final List<String> keyIds = new ArrayList<>();
        /** Keys with imported key material: rotated on demand only, so no rotation finding applies to them. */
        final Set<String> imported = new HashSet<>();
        /** When each key refused a use because of its state (disabled, pending deletion): a consumer still needs it. */
        final Map<String, List<Instant>> refused = new java.util.HashMap<>();
        int unusedDays = 90;

        Region(Target target) {
            this.target = target;
        }

        String awsAccountId() {
            return target.awsAccountId();
        }

        String key(int index) {
            return keyIds.get(index % keyIds.size());
        }
    }

    private Region start(KeyHistory history) {
        Instant now = sim().now();
        StringBuilder yaml = new StringBuilder("""
                regions:
                  us-east-1:
                    trackingStartDate: %s
                    keys:
                """.formatted(now.minus(Duration.ofDays(history.trackingStartDaysAgo()))));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < history.keys().size(); i++) {
            PastKey key = history.keys().get(i);
            String id = UUID.randomUUID().toString();
            ids.add(id);
            yaml.append("      - id: ").append(id).append('\n')
                    .append("        createdAt: ").append(now.minus(Duration.ofDays(key.createdDaysAgo()))).append('\n')
                    .append("        noiseEvents: 0\n");
            if (key.exempt()) {
                yaml.append("        tags: {").append(KeyHistory.EXEMPT_TAG).append(": \"true\"}\n");
            }
            if (key.imported()) {
                yaml.append("        origin: EXTERNAL\n");
            }
            if (key.rotation()) {
                yaml.append(key.imported() ? "        rotation: {rotations: 1}\n"
                        : "        rotation: {enabled: true, periodDays: 365}\n");
            }
            if (!key.uses().isEmpty()) {
                yaml.append("        cloudTrail:\n");
                for (PastUse use : key.uses()) {
                    yaml.append("          - {at: ").append(now.minus(Duration.ofHours(use.hoursAgo())))
                            .append(", eventName: ").append(use.operation())
                            .append(use.succeeded() ? "" : ", errorCode: AccessDeniedException").append("}\n");
                }
            }
        }
        String accountId = dev.unusd.hub.support.TestSpokeSim.newAwsAccountId();
        StringBuilder account = new StringBuilder("accounts:\n  - id: \"" + accountId + "\"\n");
        yaml.toString().lines().forEach(line -> account.append("    ").append(line).append('\n'));
        Scenario.Account loaded = sim().addAccount(new ScenarioReader(now).parse(account.toString()).accounts().get(0));
        if (tenant == null) {
            tenant = newTenant();
            // Scheduled scans would run on the real clock; these scans are the test's.
            settings = (ObjectNode) tenant.api().get("/api/v1/settings").json();
            ((ObjectNode) settings.get("schedule")).put("enabled", false);
            assertThat(tenant.api().put("/api/v1/settings", settings).status()).isEqualTo(200);
        }
        Target target = registerIn(tenant, loaded, true, REGION);
        putUnusedDays(90);
        Region region = new Region(target);
        region.keyIds.addAll(ids);
        for (int i = 0; i < ids.size(); i++) {
            if (history.keys().get(i).imported()) {
                region.imported.add(ids.get(i));
            }
        }
        return region;
    }

    private void putUnusedDays(int days) {
        if (settings.get("unusedDays").asInt() != days) {
            settings.put("unusedDays", days);
            assertThat(tenant.api().put("/api/v1/settings", settings).status()).isEqualTo(200);
        }
    }

    /** Applies an action as the key's owner would; what AWS refuses (a use of a disabled key) is just refused. */
    private void act(Region region, Action action) {
        String account = region.awsAccountId();
        SpokeSim sim = sim();
        try {
            switch (action.kind()) {
                case USE -> {
                    String key = region.key(action.key());
                    try {
                        sim.useKey(account, REGION, key, action.operation(), null);
                    } catch (IllegalStateException refused) {
                        if (refused.getMessage() != null && (refused.getMessage().startsWith("DisabledException")
                                || refused.getMessage().startsWith("KMSInvalidStateException"))) {
                            region.refused.computeIfAbsent(key, k -> new ArrayList<>()).add(millis(sim.now()));
                        }
                        throw refused;
                    }
                }
                case FAILED_USE -> sim.useKey(account, REGION, region.key(action.key()), action.operation(),
                        "AccessDeniedException");
                case CREATE -> region.keyIds.add(sim.createKey(account, REGION, "created by the history"));
                case DISABLE -> sim.disableKey(account, REGION, region.key(action.key()));
                case ENABLE -> sim.enableKey(account, REGION, region.key(action.key()));
                case SCHEDULE_DELETION -> sim.scheduleKeyDeletion(account, REGION, region.key(action.key()),
                        action.days());
                case CANCEL_DELETION -> sim.cancelKeyDeletion(account, REGION, region.key(action.key()));
                case TAG -> sim.tagKey(account, REGION, region.key(action.key()), KeyHistory.EXEMPT_TAG, "true");
                case UNTAG -> sim.untagKey(account, REGION, region.key(action.key()), KeyHistory.EXEMPT_TAG);
                case ROTATION_ON -> sim.setRotation(account, REGION, region.key(action.key()), true, action.days());
                case ROTATION_OFF -> sim.setRotation(account, REGION, region.key(action.key()), false, null);
                case ROTATE_NOW -> sim.rotateKeyNow(account, REGION, region.key(action.key()));
            }
        } catch (IllegalStateException | IllegalArgumentException refused) {
            // A disabled key refuses use, a deleted key everything: as in AWS, the history goes on.
        }
    }

    private void inject(Region region, Fault fault, boolean on) {
        String account = region.awsAccountId();
        SpokeSim sim = sim();
        String key = region.key(fault.key());
        try {
            switch (fault.kind()) {
                case DENY_LAST_USAGE -> sim.setKeyFaults(account, REGION, key, on
                        ? new Scenario.KeyFaults(false, true, false, false) : Scenario.KeyFaults.NONE);
                case LAST_USAGE_UNSUPPORTED -> sim.setKeyFaults(account, REGION, key, on
                        ? new Scenario.KeyFaults(false, false, true, false) : Scenario.KeyFaults.NONE);
                case DENY_DESCRIBE_KEY -> sim.setKeyFaults(account, REGION, key, on
                        ? new Scenario.KeyFaults(true, false, false, false) : Scenario.KeyFaults.NONE);
                case CLOUDTRAIL_DENIED -> sim.setCloudTrailDenied(account, REGION, on);
                case LAST_USAGE_5XX -> sim.setServerErrorRate(account, "GetKeyLastUsage", on ? 1.0 : 0.0);
                case LOOKUP_EVENTS_5XX -> sim.setServerErrorRate(account, "LookupEvents", on ? 1.0 : 0.0);
                case LOOKUP_EVENTS_THROTTLED -> sim.setThrottled(account, "LookupEvents", on);
                case ROTATIONS_LAG -> sim.setKeyFaults(account, REGION, key, on
                        ? new Scenario.KeyFaults(false, false, false, true) : Scenario.KeyFaults.NONE);
                case TAGS_DENIED, ROTATIONS_DENIED -> {
                    Set<String> actions = new HashSet<>(SpokeSim.templateActions());
                    if (on) {
                        actions.remove(fault.kind() == KeyHistory.FaultKind.TAGS_DENIED ? "kms:ListResourceTags"
                                : "kms:ListKeyRotations");
                    }
                    sim.setRoleActions(account, ROLE, actions);
                }
            }
        } catch (IllegalArgumentException gone) {
            // The key was deleted: a fault on it changes nothing.
        }
    }

    /** One incremental scan and one from scratch at the same moment, both compared with the truth. */
    private List<String> scanAndCompare(Region region, boolean faulted, Tally tally) {
        Instant now = sim().now().truncatedTo(ChronoUnit.MILLIS);
        clock.set(now);
        Map<String, Map<String, Object>> before = keys(region.target, REGION);
        Map<String, String> findingsBefore = findingStatuses(region.target, REGION);
        // A session issued before the clock jumped has expired in the simulator: start each scan afresh.
        clients.forget(region.target.accountId());
        TargetResult result = TenantContext.callAs(region.target.tenant().id(), () -> incremental.scan(
                new TargetRef(region.target.tenant().id(), UUID.randomUUID(), region.target.accountId(), REGION)));
        tally.scans++;
        List<String> differences = new ArrayList<>();
        if (result.status() != TargetStatus.SUCCEEDED) {
            tally.failedTargets++;
            if (!faulted) {
                differences.add("target " + result.status() + " without a fault: " + result.error());
            }
            Map<String, Map<String, Object>> after = keys(region.target, REGION);
            after.forEach((id, row) -> row.forEach((column, value) -> {
                Object was = before.getOrDefault(id, Map.of()).get(column);
                if (!Objects.equals(String.valueOf(was), String.valueOf(value))) {
                    differences.add("a failed target changed " + id + " " + column + ": " + was + " -> " + value);
                }
            }));
            if (!findingStatuses(region.target, REGION).equals(findingsBefore)) {
                differences.add("a failed target changed findings: " + findingsBefore + " -> "
                        + findingStatuses(region.target, REGION));
            }
            return differences;
        }
        inventory.last().calls().paths().forEach((path, count) -> tally.paths.merge(path, count, Integer::sum));

        AccountRef account = TenantContext.callAs(region.target.tenant().id(),
                () -> accountApi.require(region.target.accountId()));
        RuleSettings rules = new RuleSettings(region.unusedDays, 365, KeyHistory.EXEMPT_TAG, "true");
        UsagePolicy policy = new UsagePolicy(now, region.unusedDays, UsageMode.LAST_USAGE, Duration.ofDays(1));
        clients.forget(region.target.accountId());
        RegionSnapshot scratch;
        try {
            scratch = new RecordingKeyInventory(PROPERTIES).collect(clients.connect(account, REGION), Map.of(), policy);
        } catch (RuntimeException e) {
            // A fault that fails a whole target (throttling beyond retries) fails the scan from scratch too.
            if (!faulted) {
                differences.add("a scan from scratch failed without a fault: " + e);
            }
            return differences;
        }
        Rules.Judgement scratchJudgement = Rules.judge(scratch.keys(), rules, now);

        List<KeyTruth> truth = sim().keys(region.awsAccountId(), REGION);
        Map<String, Map<String, Object>> stored = keys(region.target, REGION);
        Set<String> present = new TreeSet<>();
        truth.forEach(k -> present.add(k.id()));
        Set<String> storedPresent = new TreeSet<>();
        stored.forEach((id, row) -> {
            if (row.get("removed_at") == null) {
                storedPresent.add(id);
            }
        });
        if (!storedPresent.equals(present)) {
            differences.add("keys stored " + storedPresent + ", in AWS " + present);
        }
        Map<String, String> scratchFindings = new TreeMap<>();
        Set<String> scratchUndecided = new HashSet<>();
        scratchJudgement.undecided().forEach(u -> scratchUndecided.add(u.keyId()));
        for (FindingDraft draft : scratchJudgement.findings()) {
            scratchFindings.put(draft.keyId() + " " + draft.type(), draft.suppressed() ? "SUPPRESSED" : "OPEN");
        }
        Map<String, String> storedFindings = new TreeMap<>();
        findingStatuses(region.target, REGION).forEach((k, status) -> {
            if (!status.equals("RESOLVED")) {
                storedFindings.put(k, status);
            }
        });
        Map<String, KeySnapshot> scratchKeys = new TreeMap<>();
        scratch.keys().forEach(k -> scratchKeys.put(k.keyId(), k));

        for (KeyTruth key : truth) {
            String id = key.id();
            Map<String, Object> row = stored.get(id);
            KeySnapshot fresh = scratchKeys.get(id);
            if (row == null || fresh == null) {
                differences.add(id + ": missing (stored " + (row != null) + ", from scratch " + (fresh != null) + ")");
                continue;
            }
            String truthStatus = usedWithin(key, region.unusedDays, now) ? "USED" : "UNUSED";
            String storedStatus = (String) row.get("usage_status");
            String scratchStatus = fresh.usage().status().name();
            if (storedStatus.equals("UNKNOWN") || scratchStatus.equals("UNKNOWN")) {
                tally.unknown++;
            }
            for (String[] seen : List.of(new String[] {"incremental", storedStatus},
                    new String[] {"from scratch", scratchStatus})) {
                boolean allowedUnknown = faulted && seen[1].equals("UNKNOWN");
                if (!seen[1].equals(truthStatus) && !allowedUnknown) {
                    differences.add(id + ": " + seen[0] + " usage " + seen[1] + ", truth " + truthStatus);
                }
            }
            Instant storedLast = instant(row.get("last_used_at"));
            UsageSpans storedSpans = UsageSpans.parse(String.valueOf(row.get("usage_searched")));
            differences.addAll(soundness(id, "incremental", key, storedLast, (String) row.get("last_used_operation"),
                    storedSpans, now));
            var freshLast = fresh.usage().lastUse();
            differences.addAll(soundness(id, "from scratch", key, freshLast == null ? null : freshLast.at(),
                    freshLast == null ? null : freshLast.operation(), fresh.usage().searched(), now));
            Instant checked = instant(row.get("usage_checked_at"));
            if (storedLast != null && checked != null && storedSpans.covers(storedLast, checked)) {
                Instant newest = newestUse(key, checked);
                if (!storedLast.equals(newest)) {
                    differences.add(id + ": incremental says its last use is " + storedLast + " as of " + checked
                            + ", truth " + newest);
                }
                if (fresh.usage().lastUseIsLatest() && checked.equals(now) && !storedLast.equals(freshLast.at())) {
                    differences.add(id + ": last use incremental " + storedLast + ", from scratch " + freshLast.at());
                }
            }
            // Rotations: a rescan counts again only when DescribeKey names other key material; without a fault both
            // scans hold AWS's count (null where rotation does not apply).
            Object storedRotations = row.get("rotations");
            Integer freshRotations = fresh.rotation() == null ? null : fresh.rotation().rotations();
            if (!faulted && !Objects.equals(storedRotations, freshRotations)) {
                differences.add(id + ": rotations incremental " + storedRotations + ", from scratch " + freshRotations);
            } else if (!faulted && freshRotations != null && freshRotations != key.rotationCount()) {
                differences.add(id + ": rotations " + freshRotations + ", truth " + key.rotationCount());
            }
            BigDecimal storedCost = (BigDecimal) row.get("monthly_cost_usd");
            BigDecimal freshCost = KeyCost.monthlyUsd(fresh);
            BigDecimal truthCost = BigDecimal.valueOf(key.state() == Scenario.KeyState.PendingDeletion ? 0
                    : 1 + Math.min(key.rotationCount(), 2)).setScale(2);
            if (!faulted && (!Objects.equals(storedCost, freshCost) || !truthCost.equals(freshCost))) {
                differences.add(id + ": monthly cost incremental " + storedCost + ", from scratch " + freshCost
                        + ", truth " + truthCost);
            }
            // Findings: where both scans could judge the key, they and the truth agree.
            boolean judged = !faulted || (String.valueOf(row.get("unknown")).equals("{}") && fresh.unknown().isEmpty()
                    && !scratchUndecided.contains(id));
            if (judged) {
                Map<String, String> expected = oracleFindings(key, region.imported.contains(id), region.unusedDays,
                        now, region.refused.getOrDefault(id, List.of()));
                for (String type : List.of("KEY_UNUSED", "ROTATION_DISABLED", "ROTATION_PERIOD_TOO_LONG",
                        "PENDING_DELETION_IN_USE")) {
                    String want = expected.get(type);
                    String incremental = storedFindings.get(id + " " + type);
                    String scratchFinding = scratchFindings.get(id + " " + type);
                    if (!Objects.equals(want, incremental) || !Objects.equals(want, scratchFinding)) {
                        differences.add(id + " " + type + ": truth " + want + ", incremental " + incremental
                                + ", from scratch " + scratchFinding);
                    }
                }
            }
        }
        return differences;
    }

    /** What a key's stored knowledge claims must hold: its last use happened, and nothing newer hides in a span. */
    private static List<String> soundness(String id, String source, KeyTruth key, Instant last, String operation,
            UsageSpans spans, Instant now) {
        List<String> wrong = new ArrayList<>();
        if (last != null && key.uses().stream().noneMatch(u -> millis(u.at()).equals(last)
                && u.operation().equals(operation))) {
            wrong.add(id + ": " + source + " last use " + last + " " + operation + " never happened");
        }
        for (KeyTruth.Use use : key.uses()) {
            Instant at = millis(use.at());
            if (!at.isAfter(now) && (last == null || at.isAfter(last)) && spans.reachingBackFrom(at) != null) {
                wrong.add(id + ": " + source + " searched " + spans.spans() + " but missed the use at " + at);
            }
        }
        return wrong;
    }

    /** A use in the last {@code days} days: after the instant exactly that long ago. */
    private static boolean usedWithin(KeyTruth key, int days, Instant now) {
        Instant since = now.minus(Duration.ofDays(days));
        return key.uses().stream().map(u -> millis(u.at())).anyMatch(at -> at.isAfter(since) && !at.isAfter(now));
    }

    private static Instant newestUse(KeyTruth key, Instant asOf) {
        return key.uses().stream().map(u -> millis(u.at())).filter(at -> !at.isAfter(asOf)).max(Instant::compareTo)
                .orElse(null);
    }

    /**
     * The rules, restated from the truth for the keys histories make (symmetric, KMS's or imported key material);
     * {@code refused}: when the key refused a use for its state.
     */
    private static Map<String, String> oracleFindings(KeyTruth key, boolean imported, int unusedDays, Instant now,
            List<Instant> refused) {
        Map<String, String> findings = new TreeMap<>();
        String status = "true".equals(key.tags().get(KeyHistory.EXEMPT_TAG)) ? "SUPPRESSED" : "OPEN";
        Instant windowStart = now.minus(Duration.ofDays(unusedDays));
        boolean pending = key.state() == Scenario.KeyState.PendingDeletion;
        if ((key.state() == Scenario.KeyState.Enabled || key.state() == Scenario.KeyState.Disabled)
                && key.createdAt().isBefore(windowStart)
                && !usedWithin(key, unusedDays, now)) {
            findings.put("KEY_UNUSED", status);
        }
        Instant thirtyDaysAgo = now.minus(Duration.ofDays(30));
        if (pending && (usedWithin(key, 30, now)
                || refused.stream().anyMatch(at -> at.isAfter(thirtyDaysAgo) && !at.isAfter(now)))) {
            findings.put("PENDING_DELETION_IN_USE", status);
        }
        if (!pending && !imported && !key.rotationEnabled()) {
            findings.put("ROTATION_DISABLED", status);
        }
        if (!pending && key.rotationEnabled() && key.rotationPeriodDays() != null && key.rotationPeriodDays() > 365) {
            findings.put("ROTATION_PERIOD_TOO_LONG", status);
        }
        return findings;
    }

    private static Instant millis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant instant(Object value) {
        return value == null ? null : millis(((Timestamp) value).toInstant());
    }

    private static final class Tally {
        int scans;
        int failedTargets;
        int unknown;
        final Map<UsagePath, Integer> paths = new EnumMap<>(UsagePath.class);
    }

    /** The hub's clock in this test: set to the simulator's time before each scan. */
    private static final class SharedClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
