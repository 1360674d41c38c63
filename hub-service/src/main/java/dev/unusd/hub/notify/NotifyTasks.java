package dev.unusd.hub.notify;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/**
 * The db-scheduler tasks of notifications: one that sends one delivery (an instance per delivery, named by its id),
 * and the periodic check for weekly reports.
 */
@Configuration(proxyBeanMethods = false)
class NotifyTasks {

    static final String DELIVERY = "notification-delivery";
    static final String WEEKLY_REPORTS = "notification-weekly-reports";

    /** The task throws only when the database failed it: the delivery row is as it was, run it again. */
    static final Duration FAILED_TASK_RETRY = Duration.ofSeconds(30);

    @Bean
    CustomTask<DeliveryTaskData> notificationDeliveryTask(ObjectProvider<DeliveryRunner> runner) {
        return Tasks.custom(DELIVERY, DeliveryTaskData.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(FAILED_TASK_RETRY))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    DeliveryRunner.Next next = runner.getObject().run(instance.getData());
                    if (next.retryAt() == null) {
                        return new CompletionHandler.OnCompleteRemove<>();
                    }
                    return (complete, operations) -> operations.reschedule(complete, next.retryAt());
                });
    }

    /**
     * One recurring execution for the whole cluster (db-scheduler runs it on one instance at a time, and revives it
     * when that instance dies): looks for the weekly reports that are due and queues them.
     */
    @Bean
    RecurringTask<Void> weeklyReportsTask(ObjectProvider<WeeklyReports> reports, NotifyProperties properties,
            Clock clock) {
        return Tasks.recurring(WEEKLY_REPORTS, FixedDelay.of(properties.weeklyReportCheckInterval()))
                .execute((instance, context) -> reports.getObject().sendDue(clock.instant()));
    }
}
