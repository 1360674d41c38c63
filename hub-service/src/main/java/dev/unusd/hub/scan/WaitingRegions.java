package dev.unusd.hub.scan;

import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

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
 * own retry, and a stale entry (the target ran meanwhile) is skipped. It also holds the regions of each account that
 * run or are being claimed here: when they alone reach the maximum, a target waits for one of them to end before it
 * asks the database, whose answer could only be BUSY.
 */
@Component
class WaitingRegions {

    private static final Logger log = LoggerFactory.getLogger(WaitingRegions.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final Map<UUID, Queue<TargetTaskData>> byAccount = new ConcurrentHashMap<>();
    /** Per account its regions this instance may run or claim at once; kept, a few dozen bytes per account. */
    private final Map<UUID, Semaphore> slots = new ConcurrentHashMap<>();

    WaitingRegions(ObjectProvider<Scheduler> scheduler) {
        this.scheduler = scheduler;
    }

    void putBack(TargetTaskData target) {
        byAccount.computeIfAbsent(target.accountId(), a -> new ConcurrentLinkedQueue<>()).add(target);
    }

    /**
     * Waits until this instance runs or claims fewer than {@code limit} regions of the account, then takes one; false
     * when interrupted. The wait is on the target's virtual thread and costs nothing but one of the instance's targets
     * in flight. An organisation's pick holds all of an account's regions at once: claimed together, all but the
     * maximum were told BUSY, each BUSY costing a claim under the account's lock, a reschedule, a wake and another pick;
     * put back without a claim, each still cost six writes to scheduled_tasks (250 accounts of 17 regions).
     */
    boolean reserve(UUID accountId, int limit) {
        try {
            slots.computeIfAbsent(accountId, account -> new Semaphore(limit, true)).acquire();
            return true;
        } catch (InterruptedException e) {
            // The instance is shutting down: the target is left for later, here or elsewhere.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The reserved region was not used: the claim found the target BUSY elsewhere or ended. */
    void release(UUID accountId) {
        Semaphore held = slots.get(accountId);
        if (held != null) {
            held.release();
        }
    }

    /** The target was claimed here (on a {@link #reserve reserved} region) and runs. */
    void started(TargetTaskData target) {
        Queue<TargetTaskData> waiting = byAccount.get(target.accountId());
        if (waiting != null) {
            waiting.remove(target);
        }
    }

    /** A target that {@link #started} here ended, however: its account has a region free. */
    void ended(TargetTaskData target) {
        release(target.accountId());
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
