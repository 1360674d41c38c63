package dev.unusd.hub.scan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.web.ApiException;

/**
 * Creates scans: the scan row, one target per (account, region) and one queued task per target, in one transaction.
 * At most one scan per account is QUEUED or RUNNING: launches of a tenant are serialised by a transaction-scoped
 * advisory lock, so the check for a running scan and the insert cannot interleave across instances.
 */
@Service
class ScanLauncher {

    private static final Logger log = LoggerFactory.getLogger(ScanLauncher.class);

    private final Scans scans;
    private final AccountApi accounts;
    private final Scheduler scheduler;
    private final CustomTask<TargetTaskData> targetTask;
    private final TransactionTemplate tx;
    private final ScanMetrics metrics;
    private final CrashPoints crashPoints;

    ScanLauncher(Scans scans, AccountApi accounts, Scheduler scheduler, CustomTask<TargetTaskData> targetTask,
            TransactionTemplate tx, ScanMetrics metrics, CrashPoints crashPoints) {
        this.scans = scans;
        this.accounts = accounts;
        this.scheduler = scheduler;
        this.targetTask = targetTask;
        this.tx = tx;
        this.metrics = metrics;
        this.crashPoints = crashPoints;
    }

    /** A scan and whether this request created it ({@code false}: a running scan already covers those accounts). */
    record Launch(UUID scanId, boolean created) {
    }

    /**
     * A manual scan of the given accounts, or of every enabled account. When a QUEUED or RUNNING scan covers one of
     * them, that scan is the answer and nothing new is created.
     */
    Launch launchManual(@Nullable List<UUID> accountIds) {
        UUID tenant = TenantContext.require();
        Launch launch = tx.execute(status -> {
            scans.lockLaunches(tenant);
            List<AccountRef> chosen = accountIds == null ? accounts.enabledAccounts() : requireEnabled(accountIds);
            if (chosen.isEmpty()) {
                throw ApiException.conflict("There is no enabled account to scan");
            }
            Optional<UUID> running = scans.activeScanCovering(tenant, ids(chosen));
            if (running.isPresent()) {
                return new Launch(running.get(), false);
            }
            return new Launch(create(tenant, ScanTrigger.MANUAL, chosen), true);
        });
        if (launch.created()) {
            metrics.scanLaunched(ScanTrigger.MANUAL);
            pollNow();
        }
        return launch;
    }

    /** The scheduled scan of every enabled account that no running scan covers; none when nothing is left to scan. */
    Optional<UUID> launchScheduled() {
        UUID tenant = TenantContext.require();
        Optional<UUID> scan = tx.execute(status -> {
            scans.lockLaunches(tenant);
            List<AccountRef> enabled = accounts.enabledAccounts();
            Set<UUID> busy = enabled.isEmpty() ? Set.of() : scans.busyAccounts(tenant, ids(enabled));
            List<AccountRef> free = enabled.stream().filter(a -> !busy.contains(a.id())).toList();
            if (free.isEmpty()) {
                log.info("Scheduled scan of tenant {} skipped: {} enabled accounts, {} already being scanned", tenant,
                        enabled.size(), busy.size());
                return Optional.<UUID>empty();
            }
            return Optional.of(create(tenant, ScanTrigger.SCHEDULED, free));
        });
        scan.ifPresent(id -> {
            metrics.scanLaunched(ScanTrigger.SCHEDULED);
            pollNow();
        });
        return scan;
    }

    /**
     * The new targets are committed and due: this instance looks for them now instead of at its next poll (up to
     * {@code HUB_SCAN_POLLING_INTERVAL} away). Other instances still find them at their next poll.
     */
    private void pollNow() {
        scheduler.triggerCheckForDueExecutions();
    }

    private List<AccountRef> requireEnabled(List<UUID> accountIds) {
        if (new HashSet<>(accountIds).size() != accountIds.size()) {
            throw ApiException.badRequest("accountIds", "must not repeat an account");
        }
        List<AccountRef> chosen = accountIds.stream().map(accounts::require).toList();
        for (AccountRef account : chosen) {
            if (!account.enabled()) {
                throw ApiException.badRequest("accountIds", "account " + account.id() + " is disabled");
            }
        }
        return chosen;
    }

    private UUID create(UUID tenant, ScanTrigger trigger, List<AccountRef> chosen) {
        long started = System.nanoTime();
        UUID scanId = UUID.randomUUID();
        List<Scans.Target> targets = chosen.stream()
                .flatMap(a -> a.coveredRegions().stream().map(region -> new Scans.Target(a.id(), region))).toList();
        scans.insert(scanId, tenant, trigger, targets);
        crashPoints.reached(CrashPoint.SCAN_INSERTED);
        Instant now = Instant.now();
        // The scheduler's writes join this transaction (the starter wraps the DataSource to be transaction-aware):
        // a scan exists with all of its tasks or not at all. Inserted in JDBC batches, not looked up and inserted one
        // by one: 17,000 targets took 2.2-3.8 s of the scan that way. None can exist yet: the scan id is new.
        List<TaskInstance<?>> tasks = new ArrayList<>(targets.size());
        for (Scans.Target target : targets) {
            TargetTaskData data = new TargetTaskData(tenant, scanId, target.accountId(), target.region());
            tasks.add(targetTask.instance(data.instanceId(), data));
        }
        scheduler.scheduleBatch(tasks, now);
        log.info("Scan launched: scan={} tenant={} trigger={} accounts={} targets={} in {} ms", scanId, tenant,
                trigger, chosen.size(), targets.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return scanId;
    }

    private static Set<UUID> ids(List<AccountRef> accounts) {
        return accounts.stream().map(AccountRef::id).collect(Collectors.toSet());
    }
}
