package dev.unusd.hub.scan;

import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

/**
 * Targets this instance put back because their account had its maximum of regions running. When a region of that
 * account ends here, the next of them is made due at once instead of after its retry delay: an account of 35 regions,
 * most of them empty, then passes its regions through its slots back to back, not one retry delay (plus a poll) at a
 * time. Only a hint: the claim in the database still decides, a target put back by another instance still waits for its
 * own retry, and a stale entry (the target ran meanwhile) is skipped. It also counts the regions of each account
 * running here: when they alone reach the maximum, a target is put back without asking the database, whose answer
 * could only be BUSY (an organisation's accounts of 17 regions otherwise retried thousands of claims a second).
 */
@Component
class WaitingRegions {

    private static final Logger log = LoggerFactory.getLogger(WaitingRegions.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final Map<UUID, Queue<TargetTaskData>> byAccount = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> runningHere = new ConcurrentHashMap<>();

    WaitingRegions(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    void putBack(TargetTaskData target) {
        byAccount.computeIfAbsent(target.accountId(), a -> new ConcurrentLinkedQueue<>()).add(target);
    }

    /** Whether this instance alone already runs {@code limit} regions of the account. */
    boolean fullHere(UUID accountId, int limit) {
        return runningHere.getOrDefault(accountId, 0) >= limit;
    }

    /** The target was claimed here and runs. */
    void started(TargetTaskData target) {
        runningHere.merge(target.accountId(), 1, Integer::sum);
        Queue<TargetTaskData> waiting = byAccount.get(target.accountId());
        if (waiting != null) {
            waiting.remove(target);
        }
    }

    /** A target that {@link #started} here ended, however: its account has a region free. */
    void ended(TargetTaskData target) {
        runningHere.computeIfPresent(target.accountId(), (account, running) -> running > 1 ? running - 1 : null);
        regionFreed(target.accountId());
    }

    /** A region of the account ended here: wake the first target still waiting for a slot of that account. */
    private void regionFreed(UUID accountId) {
        Queue<TargetTaskData> waiting = byAccount.get(accountId);
        if (waiting == null) {
            return;
        }
        for (TargetTaskData next = waiting.poll(); next != null; next = waiting.poll()) {
            if (wake(next)) {
                break;
            }
        }
        if (waiting.isEmpty()) {
            byAccount.remove(accountId, waiting);
        }
    }

    private boolean wake(TargetTaskData target) {
        try {
            if (scheduler.getObject().reschedule(TaskInstanceId.of(ScanTasks.TARGET, target.instanceId()), Instant.now())) {
                scheduler.getObject().triggerCheckForDueExecutions();
                return true;
            }
        } catch (RuntimeException e) {
            // Running or done already (its retry came first): try the next one.
            log.debug("waiting target {} not woken: {}", target.instanceId(), e.toString());
        }
        return false;
    }
}
