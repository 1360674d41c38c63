package dev.unusd.hub.scan;

import java.time.Instant;
import java.util.UUID;

import org.springframework.scheduling.support.CronExpression;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;

import dev.unusd.hub.tenant.TenantSettings;

/**
 * A tenant's scan schedule as its recurring task stores it. The cron is evaluated by Spring's
 * {@link CronExpression}, the same parser that validated the settings, so what was accepted is what runs; on the
 * zone's wall clock, each local time once across daylight-saving changes ({@link TenantSettings.Schedule#nextRunAfter}).
 */
record TenantSchedule(UUID tenantId, String cron, String timezone) implements ScheduleAndData {

    static TenantSchedule of(UUID tenantId, TenantSettings.Schedule schedule) {
        return new TenantSchedule(tenantId, schedule.cron(), schedule.timezone());
    }

    @Override
    public Schedule getSchedule() {
        return new SpringCron(cron, timezone);
    }

    @Override
    public Object getData() {
        return tenantId;
    }

    /** Spring's six-field cron in a time zone. */
    record SpringCron(String cron, String timezone) implements Schedule {

        @Override
        public Instant getNextExecutionTime(ExecutionComplete executionComplete) {
            return nextAfter(executionComplete.getTimeDone());
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return nextAfter(now);
        }

        Instant nextAfter(Instant instant) {
            return new TenantSettings.Schedule(cron, timezone, true).nextRunAfter(instant).orElse(NEVER);
        }

        @Override
        public boolean isDeterministic() {
            return true;
        }
    }
}
