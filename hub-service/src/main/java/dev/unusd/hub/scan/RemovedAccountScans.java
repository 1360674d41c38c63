package dev.unusd.hub.scan;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.unusd.hub.account.AccountRemoved;

/**
 * Ends the scans that were waiting only on a removed account's targets. Those targets went with the account, so none
 * of them records an end; a scan left RUNNING would keep its other accounts out of every later scan.
 */
@Component
class RemovedAccountScans {

    private static final Logger log = LoggerFactory.getLogger(RemovedAccountScans.class);

    private final Scans scans;
    private final ApplicationEventPublisher events;
    private final ScanMetrics metrics;

    RemovedAccountScans(Scans scans, ApplicationEventPublisher events, ScanMetrics metrics) {
        this.scans = scans;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * In the removal's transaction, which has deleted the targets: the scans end with it or not at all. Should another
     * account's last target end meanwhile, unseen by this and seeing the removed targets uncommitted, each task of the
     * removed account still ends the scan: it finds its target gone and asks for the scan's end (TargetRunner).
     */
    @EventListener
    void accountRemoved(AccountRemoved event) {
        for (Scans.Finished f : scans.finaliseEnded(event.tenantId())) {
            events.publishEvent(new ScanFinished(event.tenantId(), f.scanId(), f.status(), f.finishedAt()));
            metrics.scanFinished(f.trigger(), f.status(), Duration.between(f.startedAt(), f.finishedAt()));
            log.info("Scan finished: scan={} trigger={} status={} (account {} removed)", f.scanId(), f.trigger(),
                    f.status(), event.accountId());
        }
    }
}
