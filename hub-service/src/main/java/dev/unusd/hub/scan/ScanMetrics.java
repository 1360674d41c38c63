package dev.unusd.hub.scan;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Scan metrics at /actuator/prometheus: scans launched by trigger, scans and targets ended by status, and their
 * durations. AWS calls are counted per call by {@link dev.unusd.hub.aws.AwsCallMetrics}.
 */
@Component
public class ScanMetrics {

    private final MeterRegistry registry;

    ScanMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void scanLaunched(ScanTrigger trigger) {
        Counter.builder("hub.scans.launched").description("Scans created")
                .tag("trigger", trigger.name()).register(registry).increment();
    }

    void scanFinished(ScanTrigger trigger, ScanStatus status, Duration duration) {
        Counter.builder("hub.scans.finished").description("Scans ended, by final status")
                .tag("trigger", trigger.name()).tag("status", status.name()).register(registry).increment();
        Timer.builder("hub.scan.duration").description("From a scan's first target start to its end")
                .tag("status", status.name()).register(registry).record(duration);
    }

    void targetFinished(TargetStatus status, Duration duration) {
        Counter.builder("hub.scan.targets.finished").description("Targets (account, region) ended, by status")
                .tag("status", status.name()).register(registry).increment();
        Timer.builder("hub.scan.target.duration").description("Time to scan one account region")
                .tag("status", status.name()).register(registry).record(duration);
    }

    void targetDeferred() {
        Counter.builder("hub.scan.targets.deferred")
                .description("Target starts put off because the account had its maximum of regions running")
                .register(registry).increment();
    }
}
