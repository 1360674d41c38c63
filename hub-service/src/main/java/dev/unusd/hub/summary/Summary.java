package dev.unusd.hub.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.account.AccountStatus;
import dev.unusd.hub.finding.FindingItem;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import io.swagger.v3.oas.annotations.media.Schema;

/** The tenant at a glance. Keys removed from AWS are not counted; finding counts by type and severity are OPEN ones. */
@Schema(name = "Summary")
record Summary(
        Keys keys,
        Findings findings,
        @Schema(description = "Monthly cost of every key still in AWS whose cost is known (see keys.costUnknown)")
        BigDecimal monthlyCostUsd,
        @Schema(description = "Monthly cost of the keys with an OPEN KEY_UNUSED finding") BigDecimal potentialMonthlySavingsUsd,
        List<AccountRow> accounts) {

    @Schema(name = "SummaryKeys")
    record Keys(
            @Schema(description = "Every key, AWS-managed ones too") long total,
            @Schema(description = "Customer-managed keys by their last known metadata") long customerManaged,
            @Schema(description = "Keys whose cost is unknown (DescribeKey withheld): not in monthlyCostUsd")
            long costUnknown,
            @Schema(description = "Key state to count; keys whose state AWS denied count under Unknown") Map<String, Long> byState) {
    }

    @Schema(name = "SummaryFindings")
    record Findings(
            long open,
            @Schema(description = "OPEN findings per type, every type present") Map<FindingType, Long> byType,
            @Schema(description = "OPEN findings per severity, every severity present") Map<Severity, Long> bySeverity,
            long suppressed) {
    }

    @Schema(name = "SummaryAccount")
    record AccountRow(
            UUID id,
            String awsAccountId,
            String name,
            AccountStatus status,
            @Schema(description = "When a scan of one of its regions last finished") @Nullable Instant lastScanAt,
            long openFindings,
            BigDecimal potentialMonthlySavingsUsd) {
    }
}
