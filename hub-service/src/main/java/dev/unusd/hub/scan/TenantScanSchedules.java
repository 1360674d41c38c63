package dev.unusd.hub.scan;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.hub.tenant.TenantSettings;
import dev.unusd.hub.tenant.TenantSettingsChanged;
import dev.unusd.hub.web.ApiException;

/**
 * Keeps each tenant's recurring scan task in line with its settings: the task exists exactly when the schedule is
 * enabled, with the settings' cron and time zone.
 *
 * <p>Changes happen in the settings transaction. A per-tenant advisory lock orders them against a firing's completion:
 * a change that finds the task firing leaves it alone, and the completion, which takes the same lock before it reads
 * the settings, waits for that change to commit and reschedules (or removes) the task by it.
 */
@Component
class TenantScanSchedules {

    private static final Logger log = LoggerFactory.getLogger(TenantScanSchedules.class);

    private final SchedulerClient scheduler;
    private final ScanTasks.TenantScheduleTask task;
    private final ScanLauncher launcher;
    private final TenantApi tenants;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    TenantScanSchedules(SchedulerClient scheduler, ScanTasks.TenantScheduleTask task, ScanLauncher launcher,
            TenantApi tenants, JdbcClient jdbc, TransactionTemplate tx) {
        this.scheduler = scheduler;
        this.task = task;
        this.launcher = launcher;
        this.tenants = tenants;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Runs inside the transaction that created the tenant or changed its settings, so both commit or neither. */
    @EventListener
    void settingsChanged(TenantSettingsChanged event) {
        apply(event.tenantId(), event.settings().schedule());
    }

    /** A tenant's schedule exists exactly when it is enabled: made so for every tenant whenever an instance starts. */
    @EventListener(ApplicationReadyEvent.class)
    void reconcileAll() {
        record Row(UUID tenantId, TenantSettings.Schedule schedule) {
        }
        List<Row> rows = jdbc.sql("select * from hub_scan_schedules()")
                .query((rs, i) -> new Row(rs.getObject("tenant_id", UUID.class), new TenantSettings.Schedule(
                        rs.getString("cron"), rs.getString("timezone"), rs.getBoolean("enabled"))))
                .list();
        Set<String> tenantIds = new HashSet<>();
        for (Row row : rows) {
            tenantIds.add(row.tenantId().toString());
            TenantContext.runAs(row.tenantId(), () -> tx.executeWithoutResult(s -> apply(row.tenantId(), row.schedule())));
        }
        for (ScheduledExecution<TenantSchedule> orphan : scheduler.getScheduledExecutionsForTask(ScanTasks.TENANT_SCHEDULE,
                TenantSchedule.class)) {
            if (!tenantIds.contains(orphan.getTaskInstance().getId()) && !orphan.isPicked()) {
                scheduler.cancel(orphan.getTaskInstance());
            }
        }
        log.info("Scan schedules reconciled for {} tenants", rows.size());
    }

    private void apply(UUID tenantId, TenantSettings.Schedule schedule) {
        lock(tenantId);
        TaskInstanceId id = task.instanceId(tenantId.toString());
        Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(id);
        if (existing.isPresent() && existing.get().isPicked()) {
            return; // firing right now: its completion applies the settings once this transaction commits
        }
        if (!schedule.enabled()) {
            if (existing.isPresent()) {
                scheduler.cancel(id);
            }
            return;
        }
        TenantSchedule wanted = TenantSchedule.of(tenantId, schedule);
        if (existing.isEmpty()) {
            scheduler.scheduleIfNotExists(task.schedulableInstance(id.getId(), wanted));
        } else if (!wanted.equals(existing.get().getData())) {
            scheduler.reschedule(task.schedulableInstance(id.getId(), wanted));
        }
    }

    /** The tenant's schedule fired: a scan of every enabled account that is not being scanned already. */
    void fire(TenantSchedule fired) {
        try {
            TenantContext.runAs(fired.tenantId(), launcher::launchScheduled);
        } catch (RuntimeException e) {
            log.error("Scheduled scan of tenant {} could not be launched", fired.tenantId(), e);
        }
    }

    /** After a firing: next time by the settings as they are now, or no next time when the schedule was disabled. */
    void afterFiring(TenantSchedule fired, ExecutionComplete complete, ExecutionOperations<TenantSchedule> operations) {
        TenantContext.runAs(fired.tenantId(), () -> tx.executeWithoutResult(s -> {
            lock(fired.tenantId());
            Optional<TenantSettings.Schedule> current;
            try {
                current = Optional.of(tenants.settingsOf(fired.tenantId()).schedule());
            } catch (ApiException tenantGone) {
                current = Optional.empty();
            }
            if (current.isEmpty() || !current.get().enabled()) {
                operations.remove();
                return;
            }
            TenantSchedule next = TenantSchedule.of(fired.tenantId(), current.get());
            operations.reschedule(complete, next.getSchedule().getNextExecutionTime(complete), next);
        }));
    }

    private void lock(UUID tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('hub.scan-schedule:' || ?, 0))")
                .param(tenantId.toString()).query((rs, i) -> 1).list();
    }
}
