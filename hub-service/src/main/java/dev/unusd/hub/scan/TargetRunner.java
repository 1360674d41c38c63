package dev.unusd.hub.scan;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.finding.FindingsChanged;

/**
 * Runs one target's task on whichever instance picked it: claims the target, lets the engine scan the region,
 * records the outcome and, when it was the scan's last open target, finalises the scan.
 */
@Component
class TargetRunner {

    private static final Logger log = LoggerFactory.getLogger(TargetRunner.class);

    enum Outcome { DONE, RETRY_LATER }

    private final Scans scans;
    private final RegionCoverage coverage;
    private final RegionScanner scanner;
    private final TransactionTemplate tx;
    private final ScanMetrics metrics;
    private final ScanProperties properties;
    private final CrashPoints crashPoints;
    private final WaitingRegions waiting;
    private final Semaphore claims;
    private final ApplicationEventPublisher events;

    TargetRunner(Scans scans, RegionCoverage coverage, RegionScanner scanner, TransactionTemplate tx,
            ScanMetrics metrics, ScanProperties properties, CrashPoints crashPoints, WaitingRegions waiting,
            ApplicationEventPublisher events) {
        this.scans = scans;
        this.coverage = coverage;
        this.scanner = scanner;
        this.tx = tx;
        this.metrics = metrics;
        this.properties = properties;
        this.crashPoints = crashPoints;
        this.waiting = waiting;
        this.claims = new Semaphore(properties.concurrentClaims());
        this.events = events;
    }

    Outcome run(TargetTaskData target) {
        try (TenantContext.Scope scope = TenantContext.open(target.tenantId())) {
            // Until this instance alone no longer runs the account's maximum: until then a claim could only say BUSY.
            if (!waiting.reserve(target.accountId(), properties.maxConcurrentRegionsPerAccount())) {
                return Outcome.RETRY_LATER;
            }
            boolean ran = false;
            try {
                Scans.Claimed claim;
                claims.acquireUninterruptibly();
                try {
                    claim = tx.execute(s -> scans.claim(target, properties.maxConcurrentRegionsPerAccount()));
                } finally {
                    claims.release();
                }
                switch (claim.claim()) {
                    case BUSY -> {
                        metrics.targetDeferred();
                        waiting.putBack(target);
                        return Outcome.RETRY_LATER;
                    }
                    case DONE -> {
                        // Gone with its account, or ended by an earlier run that died before its task was removed.
                        finalised(tx.execute(s -> finalise(target)));
                        return Outcome.DONE;
                    }
                    case RUN -> {
                        waiting.started(target);
                        ran = true;
                        crashPoints.reached(CrashPoint.TARGET_CLAIMED);
                    }
                }
                scanClaimed(target, claim.attempt());
                return Outcome.DONE;
            } finally {
                // However it ended: a region held and never given back would stall the account's targets here.
                if (ran) {
                    waiting.ended(target);
                } else {
                    waiting.release(target.accountId());
                }
            }
        }
    }

    private void scanClaimed(TargetTaskData target, int attempt) {
        long started = System.nanoTime();
        TargetResult result = scan(target, attempt);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        tx.executeWithoutResult(s -> {
            coverage.holdAccount(target);
            if (scans.record(target, attempt, result)) {
                if (coverage.record(target, result)) {
                    // The region's findings gained, lost or changed their unverified mark: the version raise is last.
                    events.publishEvent(new FindingsChanged(target.tenantId(), target.accountId()));
                }
                crashPoints.reached(CrashPoint.TARGET_RECORDED);
            }
        });
        // Even when nothing was recorded: a target removed with its account while it ran may have been the last one
        // its scan waited on, and no other task of the scan may be left to end it.
        Optional<Scans.Finished> finished = tx.execute(s -> finalise(target));
        metrics.targetFinished(result.status(), took);
        logTarget(target, result, took);
        finalised(finished);
    }

    /** In the caller's transaction: what listens for the end of a scan writes in it too (the notification outbox). */
    private Optional<Scans.Finished> finalise(TargetTaskData target) {
        Optional<Scans.Finished> finished = scans.finaliseIfDone(target);
        finished.ifPresent(f -> events.publishEvent(new ScanFinished(target.tenantId(), f.scanId(), f.status(),
                f.finishedAt())));
        return finished;
    }

    private TargetResult scan(TargetTaskData target, int attempt) {
        try {
            return scanner.scan(target.ref(attempt));
        } catch (RuntimeException e) {
            // The engine reports AWS trouble as FAILED results; an exception is a defect, kept to this target.
            log.error("Scan of target {} failed unexpectedly", target.instanceId(), e);
            return TargetResult.failed("INTERNAL_ERROR", "The hub failed to scan this region; see the hub's log");
        }
    }

    /** The engine's own line names the AWS account; looking it up again here cost a query per target. */
    private void logTarget(TargetTaskData target, TargetResult result, Duration took) {
        log.info("Target finished: scan={} account={} region={} keys={} duration={}ms outcome={}{}",
                target.scanId(), target.accountId(), target.region(), result.keysScanned(), took.toMillis(),
                result.status(), result.error() == null ? "" : " error=" + result.error().code());
    }

    private void finalised(Optional<Scans.Finished> finished) {
        finished.ifPresent(f -> {
            crashPoints.reached(CrashPoint.SCAN_FINALISED);
            metrics.scanFinished(f.trigger(), f.status(), Duration.between(f.startedAt(), f.finishedAt()));
            log.info("Scan finished: scan={} trigger={} status={}", f.scanId(), f.trigger(), f.status());
        });
    }
}
