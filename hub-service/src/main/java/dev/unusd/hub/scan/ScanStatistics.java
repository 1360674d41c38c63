package dev.unusd.hub.scan;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Has PostgreSQL analyse the tables a target writes while keys are written for account-regions that had none: the
 * planner estimates an account missing from the statistics at one row, and its plans then read the whole tenant for
 * every finding of a target (V160; only the columns those plans filter on, V170). At once for the first such write,
 * then at most once per interval while more arrive, and once after the last: the accounts of a scan are written one
 * after another. On a thread of its own, so a target never waits for it; a failure is logged, never the target's.
 */
@Component
class ScanStatistics {

    private static final Logger log = LoggerFactory.getLogger(ScanStatistics.class);

    private final JdbcClient jdbc;
    private final Duration interval;
    /** New keys were written since the last ANALYZE began. */
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Timer analyses;

    ScanStatistics(JdbcClient jdbc, @Value("${hub.scan.statistics-interval:5s}") Duration interval,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.interval = interval;
        this.analyses = Timer.builder("hub.scan.statistics.analyses")
                .description("ANALYZE runs of the scan tables for new account-regions, and their time")
                .register(meters);
    }

    /** Keys were written for an account-region with none stored. */
    void newKeysWritten() {
        pending.set(true);
        startIfIdle();
    }

    private void startIfIdle() {
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("scan-statistics").start(this::analyseWhilePending);
        }
    }

    private void analyseWhilePending() {
        try {
            while (pending.getAndSet(false)) {
                try {
                    long start = System.nanoTime();
                    jdbc.sql("select hub_analyze_scan_tables()").query().listOfRows();
                    analyses.record(Duration.ofNanos(System.nanoTime() - start));
                } catch (RuntimeException e) {
                    log.warn("ANALYZE of the scan tables failed; plans keep the statistics they had: {}", e.toString());
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            running.set(false);
        }
        // A write between the last look and running being cleared found this thread still running: take it here.
        if (pending.get()) {
            startIfIdle();
        }
    }
}
