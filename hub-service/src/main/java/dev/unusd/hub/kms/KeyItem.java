package dev.unusd.hub.kms;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.swagger.v3.oas.annotations.media.Schema;

/** A KMS key of the inventory as the dashboard reads it. Fields AWS denied to the spoke role are null. */
@Schema(name = "Key")
record KeyItem(
        @Schema(description = "The hub's id of the key") UUID id,
        String arn,
        @Schema(description = "The AWS key id; repeats across regions for multi-Region keys") String keyId,
        @Schema(description = "The hub's id of the account") UUID accountId,
        @Schema(description = "The 12-digit AWS account id") String awsAccountId,
        @Schema(description = "The account's name in the hub") String accountName,
        @Schema(description = "Set while no recent scan vouches for what is shown of the key: why (ACCOUNT_DISABLED,"
                + " REGION_NOT_SCANNED, REGION_NOT_ENABLED, LAST_SCAN_FAILED) and when a scan of its account-region last"
                + " succeeded")
        @Nullable Unverified unverified,
        String region,
        List<String> aliases,
        @Schema(allowableValues = {"Creating", "Enabled", "Disabled", "PendingDeletion", "PendingImport",
                "PendingReplicaDeletion", "Unavailable", "Updating"}) @Nullable String state,
        @Nullable String spec,
        @Nullable String usage,
        @Nullable String origin,
        @Schema(allowableValues = {"AWS", "CUSTOMER"}) @Nullable String manager,
        @Nullable Boolean multiRegion,
        @Schema(description = "When AWS created the key") @Nullable Instant createdAt,
        @Nullable Instant deletionDate,
        @Nullable Rotation rotation,
        @Nullable LastUsed lastUsed,
        UsageStatus usageStatus,
        @Schema(description = "Why usageStatus is UNKNOWN (a denied or failed call, a span no source could search);"
                + " null when usage is known") @Nullable String usageUnknownReason,
        @Schema(description = "When AWS was last asked about the key's use") @Nullable Instant usageCheckedAt,
        @JsonRawValue @Schema(type = "object", types = "object", additionalPropertiesSchema = String.class,
                description = "What AWS withheld at the last scan, field (metadata, tags, rotation, rotations,"
                        + " lastUsage, usage) to reason; the key shows the values of the last read that succeeded")
        String withheld,
        @JsonRawValue @Schema(type = "object", types = "object", additionalPropertiesSchema = String.class,
                description = "The key's tags, key to value") String tags,
        @Schema(description = "Carries the tenant's exception tag: its findings are SUPPRESSED") boolean exempt,
        @Schema(description = "Null when the key's metadata is unknown (DescribeKey withheld)")
        @Nullable BigDecimal monthlyCostUsd,
        @JsonRawValue @Schema(type = "object", types = "object", nullable = true, description = "Who can use or manage"
                + " the key, from its key policy and grants at the last scan: status (KNOWN, UNKNOWN), unknown (part"
                + " to reason), public and crossAccount (YES, NO, UNKNOWN), outsideAccounts, undecided, principals"
                + " (principal, principalType, account, actions, audience, conditions, source, trusted), notes,"
                + " readAt. Null for AWS-managed keys") @Nullable String access,
        Instant firstSeenAt,
        Instant lastSeenAt) {

    /** Automatic rotation; null for keys it does not apply to. */
    @Schema(name = "KeyRotation")
    record Rotation(boolean enabled, @Nullable Integer periodDays, @Nullable Instant nextRotationAt,
            @Nullable Integer rotations) {
    }

    /** The newest cryptographic use the hub found; null when none was found. */
    @Schema(name = "KeyLastUsed")
    record LastUsed(Instant at, @Nullable String operation, Source source, @Nullable String cloudTrailEventId,
            @Schema(description = "Every span of time since this use was searched: it is the key's latest use as of"
                    + " usageCheckedAt. False when an older use is all that was found (e.g. before the window)")
            boolean latest) {
    }

    enum Source {
        KMS_LAST_USAGE, CLOUDTRAIL
    }

    enum UsageStatus {
        USED, UNUSED, UNKNOWN
    }

    static final List<String> STATES = List.of("Creating", "Enabled", "Disabled", "PendingDeletion", "PendingImport",
            "PendingReplicaDeletion", "Unavailable", "Updating");
}
