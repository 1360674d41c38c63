package dev.unusd.hub.scan;

import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/**
 * The tasks db-scheduler runs (the starter registers every Task bean). Handlers look their services up when they
 * run: those services schedule tasks themselves, and the scheduler needs the tasks before it exists.
 */
@Configuration(proxyBeanMethods = false)
class ScanTasks {

    static final String TARGET = "scan-target";
    static final String TENANT_SCHEDULE = "tenant-scan-schedule";
    static final String PURGE = "scan-history-purge";

    /** How long a target waits when its account already has its maximum of regions running. */
    static final Duration BUSY_ACCOUNT_RETRY = Duration.ofSeconds(2);
    /** A target task throws only when the database failed it: retry, the target stays where it was. */
    static final Duration FAILED_TASK_RETRY = Duration.ofSeconds(30);

    @Bean
    CustomTask<TargetTaskData> scanTargetTask(ObjectProvider<TargetRunner> runner) {
        return Tasks.custom(TARGET, TargetTaskData.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(FAILED_TASK_RETRY))
                .onDeadExecutionRevive()
                .execute((instance, context) -> switch (runner.getObject().run(instance.getData())) {
                    case DONE -> new CompletionHandler.OnCompleteRemove<>();
                    case RETRY_LATER -> (complete, operations) ->
                            operations.reschedule(complete, Instant.now().plus(BUSY_ACCOUNT_RETRY));
                });
    }

    @Bean
    TenantScheduleTask tenantScanScheduleTask(ObjectProvider<TenantScanSchedules> schedules) {
        return new TenantScheduleTask(schedules);
    }

    @Bean
    RecurringTask<Void> scanHistoryPurgeTask(ObjectProvider<ScanHistory> history, ScanProperties properties) {
        return Tasks.recurring(PURGE, FixedDelay.of(properties.purgeInterval()))
                .execute((instance, context) -> history.getObject().purge());
    }

    /**
     * One instance per tenant (instance id = tenant id) whose schedule lives in its data. A firing launches a scan;
     * its completion re-reads the settings, so a change made while it fired is not lost.
     */
    static final class TenantScheduleTask extends RecurringTaskWithPersistentSchedule<TenantSchedule> {

        private final ObjectProvider<TenantScanSchedules> schedules;

        TenantScheduleTask(ObjectProvider<TenantScanSchedules> schedules) {
            super(TENANT_SCHEDULE, TenantSchedule.class);
            this.schedules = schedules;
        }

        @Override
        public CompletionHandler<TenantSchedule> execute(TaskInstance<TenantSchedule> instance, ExecutionContext context) {
            TenantSchedule fired = instance.getData();
            schedules.getObject().fire(fired);
            return (complete, operations) -> schedules.getObject().afterFiring(fired, complete, operations);
        }
    }
}
