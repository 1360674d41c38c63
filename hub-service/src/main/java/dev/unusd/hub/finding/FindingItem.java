package dev.unusd.hub.finding;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.unusd.hub.account.Deactivation;
import dev.unusd.hub.kms.Unverified;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;

import io.swagger.v3.oas.annotations.media.Schema;

/** A finding as the dashboard reads it: what is wrong with which key, what it costs, and the command that fixes it. */
@Schema(name = "Finding")
public record FindingItem(
        UUID id,
        FindingType type,
        Severity severity,
        Status status,
        @Schema(description = "The hub's id of the key: GET /api/v1/keys/{keyRef}") UUID keyRef,
        @Schema(description = "The AWS key id") String keyId,
        String keyArn,
        @Schema(description = "The hub's id of the account") UUID accountId,
        @Schema(description = "The 12-digit AWS account id") String awsAccountId,
        @Schema(description = "The account's name in the hub") String accountName,
        @Schema(description = "Set while an organisation's sync (or removing the organisation) has deactivated the"
                + " account: the finding is kept as the account's last scan left it, neither rescanned nor resolved")
        @Nullable AccountDeactivation accountDeactivated,
        @Schema(description = "Set while no recent scan vouches for the finding: why (ACCOUNT_DISABLED,"
                + " REGION_NOT_SCANNED, REGION_NOT_ENABLED, LAST_SCAN_FAILED) and when a scan of its account-region last"
                + " succeeded. The finding keeps the status that scan judged")
        @Nullable Unverified unverified,
        String region,
        String title,
        String detail,
        @JsonRawValue @Schema(type = "object", types = "object",
                description = "What the finding rests on, e.g. the last use seen") String evidence,
        @Schema(description = "The key's monthly cost in USD") BigDecimal monthlyCostUsd,
        Remediation remediation,
        Instant firstSeenAt,
        Instant lastSeenAt,
        @Nullable Instant resolvedAt) {

    /** Why and since when the finding's account is deactivated (see the account's deactivatedReason). */
    @Schema(name = "FindingAccountDeactivation")
    public record AccountDeactivation(Deactivation reason, Instant at) {
    }

    /** The commands that fix the finding, in order. */
    @Schema(name = "FindingRemediation")
    public record Remediation(List<String> cli) {
    }

    public enum Status {
        OPEN, RESOLVED, SUPPRESSED
    }
}
