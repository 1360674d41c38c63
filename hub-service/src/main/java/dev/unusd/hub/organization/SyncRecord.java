package dev.unusd.hub.organization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;

/** One sync of an organisation: what it found, what it changed, what went wrong. */
@Schema(name = "OrganizationSync")
record SyncRecord(UUID id, UUID organizationId, Trigger trigger, Status status, Instant createdAt,
        @Nullable Instant startedAt, @Nullable Instant finishedAt,
        @Schema(description = "Member accounts of the organisation, in any state") int accountsFound,
        @Schema(description = "ACTIVE accounts under the chosen OUs, not excluded, not the management account")
        int inScope,
        @Schema(description = "Accounts registered by this sync") int added,
        @Schema(description = "Accounts a sync had deactivated that are back in scope") int reactivated,
        @Schema(description = "Accounts deactivated: left, suspended, closed, moved out or excluded") int removed,
        @Schema(description = "Accounts in scope that were registered already") int unchanged,
        @Schema(description = "Accounts whose spoke role this sync verified CONNECTED") int verified,
        @Schema(description = "Calls to AWS Organizations, retries included") int apiCalls,
        @Schema(description = "Of those, answered TooManyRequestsException") int throttled,
        @Schema(description = "Why the sync failed as a whole; null unless status is FAILED") @Nullable Problem error,
        @Schema(description = "Accounts the sync could not bring in line") List<AccountError> errors) {

    enum Trigger { MANUAL, SCHEDULED }

    enum Status { QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED }

    record Problem(String code, String message) {
    }

    /** {@code awsAccountId} is null for a problem of the sync as a whole, such as a chosen OU that does not exist. */
    record AccountError(@Nullable String awsAccountId, String code, String message) {
    }
}
