package dev.unusd.hub.scan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.aws.SpokeClients;
import dev.unusd.hub.aws.SpokeException;
import dev.unusd.hub.aws.SpokeFailure;
import dev.unusd.hub.aws.SpokeRegion;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.finding.FindingReconciler;
import dev.unusd.hub.kms.KeyInventory;
import dev.unusd.hub.kms.RegionSnapshot;
import dev.unusd.hub.kms.StoredKey;
import dev.unusd.hub.kms.UsageMode;
import dev.unusd.hub.kms.UsagePolicy;
import dev.unusd.hub.organization.OrganizationApi;
import dev.unusd.hub.rule.RuleSettings;
import dev.unusd.hub.rule.Rules;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.hub.tenant.TenantSettings;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The KMS scan of one target: assume the spoke role, collect the region's snapshot, judge the rules, reconcile the
 * findings. All AWS work happens outside any database transaction; the store is read once before (stored usage, for
 * incremental rescans) and written once after, in one short transaction.
 */
@Component
public class KmsRegionScanner implements RegionScanner {

    private static final Logger log = LoggerFactory.getLogger(KmsRegionScanner.class);
    /** Scans whose rules are kept: more than run at once on one instance. */
    private static final int RECENT_SCANS = 64;

    private final AccountApi accounts;
    private final TenantApi tenants;
    private final SpokeClients clients;
    private final KeyInventory inventory;
    private final FindingReconciler reconciler;
    private final UsageMode usageMode;
    private final Semaphore reconciles;
    private final Clock clock;
    private final CrashPoints crashPoints;
    private final OrganizationApi organizations;
    private final ScanStatistics statistics;
    /** The reads before AWS in one transaction: a transaction each cost a begin, a tenant binding and a commit. */
    private final TransactionTemplate reads;
    /** The reconcile, in one transaction with the check that this run still holds its target ({@link Scans#holdsClaim}). */
    private final TransactionTemplate writes;
    private final Scans scans;
    /** The rules of the scans this instance ran lately, most recent last. */
    private final Map<UUID, ScanRules> rulesByScan = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, ScanRules> eldest) {
            return size() > RECENT_SCANS;
        }
    };

    KmsRegionScanner(AccountApi accounts, TenantApi tenants, SpokeClients clients, KeyInventory inventory,
            FindingReconciler reconciler, @Value("${hub.scan.usage-mode:LAST_USAGE}") UsageMode usageMode,
            ScanProperties properties, Clock clock, CrashPoints crashPoints, OrganizationApi organizations,
            PlatformTransactionManager transactions, ScanStatistics statistics, Scans scans) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.statistics = statistics;
        this.tenants = tenants;
        this.clients = clients;
        this.inventory = inventory;
        this.reconciler = reconciler;
        this.usageMode = usageMode;
        this.reconciles = new Semaphore(properties.concurrentReconciles());
        this.clock = clock;
        this.crashPoints = crashPoints;
        this.reads = new TransactionTemplate(transactions);
        this.reads.setReadOnly(true);
        this.writes = new TransactionTemplate(transactions);
        this.scans = scans;
    }

    @Override
    public TargetResult scan(TargetRef target) {
        try (TenantContext.Scope scope = TenantContext.open(target.tenantId())) {
            Optional<Start> start = Objects.requireNonNull(reads.execute(s -> accounts.findStored(target.accountId())
                    .map(account -> new Start(account, rulesOf(target),
                            reconciler.storedKeys(account.id(), target.region())))));
            if (start.isEmpty()) {
                return accountNotFound();
            }
            AccountRef account = start.get().account();
            if (!account.enabled()) {
                // Disabled (by the tenant or a sync) after the scan was launched: scans skip it, no AWS call is made
                // and its keys and findings stay as its last scan left them.
                return TargetResult.skipped("ACCOUNT_DISABLED", "The account was disabled after the scan was launched;"
                        + " its keys and findings are left as they were");
            }
            if (!account.coveredRegions().contains(target.region())) {
                // Taken out of the account's regions after the scan was launched: as for a disabled account, no AWS
                // call is made there and its keys and findings stay as its last scan left them.
                return TargetResult.skipped("REGION_REMOVED", "The region was taken out of the account's regions after"
                        + " the scan was launched; its keys and findings are left as they were");
            }
            ScanRules rules = start.get().rules();
            TenantSettings settings = rules.settings();
            Map<String, StoredKey> stored = start.get().stored();
            // Stored as Postgres timestamps and compared with CloudTrail's: milliseconds, so what is read back is equal.
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            UsagePolicy policy = new UsagePolicy(now, settings.unusedDays(), usageMode,
                    untilNextScan(settings.schedule(), now));
            RegionSnapshot snapshot;
            try {
                snapshot = collect(account, target.region(), stored, policy);
            } catch (SpokeException e) {
                return failed(target, e.failure());
            } catch (SdkException e) {
                return failed(target, SpokeFailure.of(e, account.roleArn()));
            }
            crashPoints.reached(CrashPoint.COLLECTED);
            RuleSettings ruleSettings = rules.rules();
            Rules.Judgement judgement = Rules.judge(snapshot.keys(), ruleSettings, now);
            FindingReconciler.Reconciled reconciled;
            if (snapshot.keys().isEmpty() && stored.isEmpty()) {
                // Nothing in AWS and nothing stored (so no findings): writing would change nothing, yet cost eight
                // statements and a turn on the tenant's version row, for most regions of an organisation. Nothing can
                // have been stored since the read: no other scan of the account runs.
                reconciled = new FindingReconciler.Reconciled(0, 0, 0);
            } else {
                // Targets of a scan tend to finish together; writing them a few at a time bounds the heap they need.
                reconciles.acquireUninterruptibly();
                try {
                    reconciled = writes.execute(s -> scans.holdsClaim(target)
                            ? reconciler.reconcile(target.tenantId(), target.scanId(), account.id(), target.region(),
                                    snapshot, ruleSettings, judgement)
                            : null);
                } catch (DataIntegrityViolationException e) {
                    // Removed while its region was collected: the keys' rows refer to the account. Else a defect.
                    if (stored(target).isEmpty()) {
                        return accountNotFound();
                    }
                    throw e;
                } finally {
                    reconciles.release();
                }
                if (reconciled == null) {
                    // Its target is gone with its account, or another run claimed it again.
                    return stored(target).isEmpty() ? accountNotFound() : superseded(target);
                }
                if (stored.isEmpty()) {
                    // A new account-region: plans of the next targets must see its rows (V160).
                    statistics.newKeysWritten();
                }
            }
            crashPoints.reached(CrashPoint.RECONCILED);
            log.info("scan {} account {} awsAccount {} region {}: {} keys, {} findings opened, {} resolved, {} undecided;"
                    + " GetKeyLastUsage {} LookupEvents {}", target.scanId(), account.id(), account.awsAccountId(),
                    target.region(),
                    reconciled.keys(), reconciled.findingsOpened(), reconciled.findingsResolved(),
                    judgement.undecided().size(), snapshot.calls().getKeyLastUsage(), snapshot.calls().lookupEvents());
            long undecided = judgement.undecided().stream().map(Rules.Undecided::keyId).distinct().count();
            return new TargetResult(TargetStatus.SUCCEEDED, reconciled.keys(), reconciled.findingsOpened(),
                    reconciled.findingsResolved(), null, (int) undecided, TargetWarning.of(snapshot.keys()));
        }
    }

    private Optional<AccountRef> stored(TargetRef target) {
        return Objects.requireNonNull(reads.execute(s -> accounts.findStored(target.accountId())));
    }

    /** Claimed again by another run (this one's instance was taken for dead): its result is that run's to record. */
    private static TargetResult superseded(TargetRef target) {
        log.warn("scan {} account {} region {}: attempt {} was claimed again by another run meanwhile; its keys and"
                + " findings are left to that run", target.scanId(), target.accountId(), target.region(), target.attempt());
        return TargetResult.failed("SUPERSEDED", "Claimed again by another run while this one ran; nothing written");
    }

    private static TargetResult accountNotFound() {
        return TargetResult.failed("ACCOUNT_NOT_FOUND", "The account is no longer registered");
    }

    /** What a target reads before it calls AWS. */
    private record Start(AccountRef account, ScanRules rules, Map<String, StoredKey> stored) {
    }

    /** The tenant's settings and trust as one scan judges them on this instance. */
    private record ScanRules(TenantSettings settings, RuleSettings rules) {
    }

    /**
     * Read by the scan's first target on this instance and kept for its others: the trust holds every registered
     * account, and reading and sorting an organisation's thousands of them per target made each target's cost grow
     * with the organisation. A scan judges all its targets alike; settings changed during it apply from the next.
     */
    private ScanRules rulesOf(TargetRef target) {
        synchronized (rulesByScan) {
            ScanRules known = rulesByScan.get(target.scanId());
            if (known != null) {
                return known;
            }
        }
        TenantSettings settings = tenants.settingsOf(target.tenantId());
        ScanRules read = new ScanRules(settings, RuleSettings.of(settings, accounts.registeredAwsAccountIds(),
                organizations.awsOrganizationIds()));
        synchronized (rulesByScan) {
            return rulesByScan.computeIfAbsent(target.scanId(), id -> read);
        }
    }

    /**
     * Collects the region's snapshot. A region-wide AccessDenied or expired token on cached credentials may mean the
     * role was deleted or its trust changed since they were issued: assume it afresh once, so a broken trust shows
     * as ASSUME_ROLE_DENIED and a revoked session costs nothing.
     */
    private RegionSnapshot collect(AccountRef account, String region, Map<String, StoredKey> stored,
            UsagePolicy policy) {
        try {
            return collectOn(connect(account, region), stored, policy);
        } catch (SdkException e) {
            if (!SpokeFailure.isStaleSession(e)) {
                throw e;
            }
            clients.forget(account.id());
            return collectOn(connect(account, region), stored, policy);
        }
    }

    private RegionSnapshot collectOn(SpokeRegion connected, Map<String, StoredKey> stored, UsagePolicy policy) {
        try (connected) {
            return inventory.collect(connected, stored, policy);
        }
    }

    private SpokeRegion connect(AccountRef account, String region) {
        SpokeRegion connected = clients.connect(account, region);
        try {
            crashPoints.reached(CrashPoint.CONNECTED);
        } catch (RuntimeException | Error e) {
            connected.close();
            throw e;
        }
        return connected.onAnswer(crashPoints::answered);
    }

    /** Scans every region of one account under one scan id, outside the scheduler (tools, tests, demos). */
    public List<TargetResult> scanAccount(UUID tenantId, UUID scanId, UUID accountId) {
        AccountRef account = TenantContext.callAs(tenantId, () -> accounts.require(accountId));
        List<TargetResult> results = new ArrayList<>();
        for (String region : account.coveredRegions()) {
            results.add(scan(new TargetRef(tenantId, scanId, accountId, region)));
        }
        return results;
    }

    private static TargetResult failed(TargetRef target, SpokeFailure failure) {
        log.info("scan {} account {} region {}: {} {}", target.scanId(), target.accountId(), target.region(),
                failure.kind(), failure.message());
        return failure.kind() == SpokeFailure.Kind.REGION_NOT_ENABLED
                ? TargetResult.skipped(failure.kind().name(), failure.message())
                : TargetResult.failed(failure.kind().name(), failure.message());
    }

    /** Until the tenant's next scheduled scan; a day when scans are not scheduled (the incremental rule's horizon). */
    static Duration untilNextScan(TenantSettings.Schedule schedule, Instant now) {
        if (!Boolean.TRUE.equals(schedule.enabled())) {
            return Duration.ofDays(1);
        }
        try {
            ZonedDateTime next = CronExpression.parse(schedule.cron()).next(now.atZone(ZoneId.of(schedule.timezone())));
            return next == null ? Duration.ofDays(1) : Duration.between(now, next.toInstant());
        } catch (RuntimeException e) {
            return Duration.ofDays(1);
        }
    }
}
