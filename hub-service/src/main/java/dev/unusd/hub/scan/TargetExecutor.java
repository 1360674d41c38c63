package dev.unusd.hub.scan;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;

/**
 * db-scheduler runs every task on a virtual thread of its own. A target spends nearly all its time waiting (for its
 * operation's pacing permit, for AWS's answer, for a database connection), and a waiting virtual thread holds no
 * platform thread, so thousands of targets can be in flight on one instance. How many is still db-scheduler's
 * {@code db-scheduler.threads}: it never picks more executions than that, so the cap per instance stays, and who runs
 * what stays in {@code scheduled_tasks} (picked, heartbeats, dead executions revived elsewhere).
 */
@Configuration(proxyBeanMethods = false)
class TargetExecutor {

    @Bean
    DbSchedulerCustomizer virtualThreadTargets() {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<ExecutorService> executorService() {
                return Optional.of(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scan-task-", 1).factory()));
            }
        };
    }
}
