package dev.unusd.hub.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.account.AccountStatus;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The tenant, or the accounts under one OU, at a glance. Keys removed from AWS are not counted; finding counts by type
 * and severity are OPEN ones.
 */
@Schema(name = "Summary")
record Summary(
        Keys keys,
        Findings findings,
        @Schema(description = "Monthly cost of every key still in AWS whose cost is known (see keys.costUnknown)")
        BigDecimal monthlyCostUsd,
        @Schema(description = "Monthly cost of the keys with an OPEN KEY_UNUSED finding") BigDecimal potentialMonthlySavingsUsd,
        List<AccountRow> accounts,
        @Schema(description = "Per OU and root of the tenant's organisations that holds one of its accounts, by path:"
                + " the figures of every account under it, child OUs included (so rows nest and overlap, as ou="
                + " filters do); accounts not in an organisation are in no row")
        List<UnitRow> organizationalUnits) {

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
            long suppressed,
            @Schema(description = "OPEN findings no recent scan vouches for (their unverified is set)")
            long unverified) {
    }

    @Schema(name = "SummaryOrganizationalUnit")
    record UnitRow(
            @Schema(description = "The OU (ou-...) or root (r-...) id") String id,
            @Schema(description = "Its name in AWS Organizations; null until a sync has read it") @Nullable String name,
            @Schema(description = "AWS entity path o-.../r-.../ou-.../, ending in its own id") String path,
            @Schema(description = "The names along the path, root first: Root/workloads/prod") String namePath,
            @Schema(description = "The hub's id of the organisation that read it; null until a sync has read it")
            @Nullable UUID organizationId,
            @Schema(description = "The tenant's accounts under it, deactivated ones too") long accounts,
            @Schema(description = "Keys still in AWS") long keys,
            @Schema(description = "The cost of its keys whose cost is known") BigDecimal monthlyCostUsd,
            @Schema(description = "Its keys whose cost is unknown: not in monthlyCostUsd") long costUnknown,
            BigDecimal potentialMonthlySavingsUsd,
            long openFindings,
            @Schema(description = "OPEN findings per severity, every severity present")
            Map<Severity, Long> openBySeverity) {
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
