package dev.unusd.hub.organization;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

/**
 * The organisation tasks db-scheduler runs: one task per sync, and per tenant with organisations a task that queues
 * a sync of each every {@code hub.organizations.sync-interval} (6 hours by default).
 */
@Configuration(proxyBeanMethods = false)
class OrganizationTasks {

    static final String SYNC = "organization-sync";
    static final String TENANT_SCHEDULE = "tenant-organization-sync";
    private static final Duration FAILED_TASK_RETRY = Duration.ofMinutes(1);

    /** A queued sync: its tenant first, so the task can set the tenant context before any database work. */
    record SyncTaskData(UUID tenantId, UUID organizationId, UUID syncId) implements Serializable {
    }

    /** The tenant whose organisations a scheduled firing syncs (instance id = tenant id). */
    record TenantData(UUID tenantId) implements Serializable {
    }

    @Bean
    OneTimeTask<SyncTaskData> organizationSyncTask(ObjectProvider<OrganizationSync> sync) {
        return Tasks.oneTime(SYNC, SyncTaskData.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(FAILED_TASK_RETRY))
                .execute((instance, context) -> {
                    SyncTaskData data = instance.getData();
                    sync.getObject().run(data.tenantId(), data.organizationId(), data.syncId());
                });
    }

    @Bean
    CustomTask<TenantData> tenantOrganizationSyncTask(ObjectProvider<OrganizationSchedules> schedules,
            OrganizationsProperties properties) {
        return Tasks.custom(TENANT_SCHEDULE, TenantData.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(FAILED_TASK_RETRY))
                .execute((instance, context) -> {
                    boolean any = schedules.getObject().fire(instance.getData().tenantId());
                    return (complete, operations) -> {
                        if (any) {
                            operations.reschedule(complete, Instant.now().plus(properties.syncInterval()));
                        } else {
                            operations.remove();
                        }
                    };
                });
    }
}
