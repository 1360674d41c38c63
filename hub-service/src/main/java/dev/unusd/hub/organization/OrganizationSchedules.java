package dev.unusd.hub.organization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;

/**
 * Queues syncs, each with a task of its own that carries its id: on demand, and on schedule from one recurring task
 * per tenant that has organisations. The sync's row and its task commit together, so a sync whose instance dies is
 * revived by db-scheduler's dead-execution check on another instance, never left QUEUED or RUNNING for good.
 */
@Component
class OrganizationSchedules {

    private static final Logger log = LoggerFactory.getLogger(OrganizationSchedules.class);

    private final SchedulerClient scheduler;
    private final OneTimeTask<OrganizationTasks.SyncTaskData> syncTask;
    private final CustomTask<OrganizationTasks.TenantData> tenantTask;
    private final Organizations organizations;
    private final OrganizationSyncs syncs;
    private final OrganizationsProperties properties;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;

    OrganizationSchedules(SchedulerClient scheduler, OneTimeTask<OrganizationTasks.SyncTaskData> syncTask,
            CustomTask<OrganizationTasks.TenantData> tenantTask, Organizations organizations, OrganizationSyncs syncs,
            OrganizationsProperties properties, TransactionTemplate tx, JdbcClient jdbc) {
        this.scheduler = scheduler;
        this.syncTask = syncTask;
        this.tenantTask = tenantTask;
        this.organizations = organizations;
        this.syncs = syncs;
        this.properties = properties;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /** The tenant's recurring sync exists: its first firing one interval from now. */
    void ensureTenantSchedule(UUID tenantId) {
        scheduler.scheduleIfNotExists(tenantTask.instance(tenantId.toString(),
                new OrganizationTasks.TenantData(tenantId)), Instant.now().plus(properties.syncInterval()));
    }

    /**
     * The tenant's recurring sync is gone: its last organisation was removed. Should a sync of it be firing right
     * now, that firing finds no organisation and removes the task itself.
     */
    void cancelTenantSchedule(UUID tenantId) {
        TaskInstanceId id = TaskInstanceId.of(OrganizationTasks.TENANT_SCHEDULE, tenantId.toString());
        if (scheduler.getScheduledExecution(id).filter(e -> !e.isPicked()).isPresent()) {
            try {
                scheduler.cancel(id);
            } catch (TaskInstanceCurrentlyExecutingException | TaskInstanceNotFoundException e) {
                log.debug("Recurring sync of tenant {} picked or gone meanwhile: it removes itself", tenantId);
            }
        }
    }

    /**
     * In the caller's tenant transaction, the organisation locked: the sync already queued or running, or a new one
     * queued now with its task.
     */
    SyncRecord requestSync(OrganizationRecord organization, SyncRecord.Trigger trigger) {
        return syncs.active(organization.id()).orElseGet(() -> {
            UUID id = UUID.randomUUID();
            syncs.queue(id, organization.tenantId(), organization.id(), trigger, DbTime.now());
            scheduler.scheduleIfNotExists(syncTask.instance(id.toString(),
                    new OrganizationTasks.SyncTaskData(organization.tenantId(), organization.id(), id)), Instant.now());
            return syncs.find(organization.id(), id).orElseThrow();
        });
    }

    /**
     * A scheduled firing: queues a sync of every organisation of the tenant that is not syncing already, each run by
     * its own task (and so, as on-demand syncs, possibly at the same time); false when the tenant has none.
     */
    boolean fire(UUID tenantId) {
        List<OrganizationRecord> all = TenantContext.callAs(tenantId, () -> tx.execute(s -> organizations.all(tenantId)));
        for (OrganizationRecord organization : all) {
            TenantContext.runAs(tenantId, () -> tx.executeWithoutResult(s ->
                    // Locked as a removal locks it: either it is removed and skipped, or the removal sees this sync.
                    organizations.lock(tenantId, organization.id())
                            .ifPresent(locked -> requestSync(locked, SyncRecord.Trigger.SCHEDULED))));
        }
        return !all.isEmpty();
    }

    /** Every tenant with organisations has its recurring sync, whenever an instance starts. */
    @EventListener(ApplicationReadyEvent.class)
    void reconcileAll() {
        List<UUID> tenants = jdbc.sql("select tenant_id from hub_organization_tenants()").query(UUID.class).list();
        tenants.forEach(this::ensureTenantSchedule);
        log.info("Organisation sync schedules reconciled for {} tenants", tenants.size());
    }
}
