package dev.unusd.hub.notify;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The {@code data} of a {@code report.weekly} event: the tenant's totals as its last scan before the report's time
 * left them, the same a week earlier, and the difference. {@code week} is the ISO week of the local day the report
 * was due ({@code 2026-W49}); costs are monthly, in USD. Without a scan by then {@code current} is null; without one
 * a week earlier {@code weekBefore} and {@code trend} are.
 */
record WeeklyReport(String week, LocalDate dueOn, String timezone, Instant dueAt, @Nullable Totals current,
        @Nullable Totals weekBefore, @Nullable Trend trend, Map<String, Long> openBySeverity, String link) {

    /** scan_totals of one scan (db/migration/V90). */
    record Totals(UUID scanId, Instant scanFinishedAt, BigDecimal monthlyCostUsd, BigDecimal potentialMonthlySavingsUsd,
            long openFindings, long costUnknownKeys) {
    }

    /**
     * current minus weekBefore: negative is better for every figure. The cost's is null when the two scans left
     * different numbers of keys of unknown cost: each sum leaves out its own, so keys that became unknown (DescribeKey
     * denied) would read as a saving and keys read again as a rise.
     */
    record Trend(@Nullable BigDecimal monthlyCostUsd, BigDecimal potentialMonthlySavingsUsd, long openFindings) {

        static Trend between(Totals before, Totals now) {
            return new Trend(before.costUnknownKeys() == now.costUnknownKeys()
                            ? now.monthlyCostUsd().subtract(before.monthlyCostUsd()) : null,
                    now.potentialMonthlySavingsUsd().subtract(before.potentialMonthlySavingsUsd()),
                    now.openFindings() - before.openFindings());
        }
    }
}
