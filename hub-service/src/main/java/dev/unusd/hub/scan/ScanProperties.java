package dev.unusd.hub.scan;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How scans run (application.yml, {@code hub.scan}). Targets in flight per instance are db-scheduler's
 * {@code db-scheduler.threads}.
 */
@Validated
@ConfigurationProperties("hub.scan")
record ScanProperties(
        @Min(1) int retentionDays,
        @Min(1) int maxConcurrentRegionsPerAccount,
        @NotNull Duration purgeInterval,
        @Min(1) int concurrentReconciles,
        @Min(1) int concurrentClaims) {
}
