package dev.unusd.hub.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The {@code data} of an {@code account.access_broken} event: {@code broken} true when a scan found the spoke role
 * cannot be assumed (ASSUME_ROLE_DENIED) or lacks a permission (ACCESS_DENIED), false when a later scan got through.
 */
record AccountAccess(UUID accountId, String awsAccountId, String accountName, boolean broken,
        @Nullable String errorCode, @Nullable String message, List<String> regions, UUID scanId, Instant at,
        String link) {

    String headline() {
        return broken
                ? "unusd: access to AWS account " + awsAccountId + " (" + accountName + ") is broken: " + errorCode
                : "unusd: access to AWS account " + awsAccountId + " (" + accountName + ") works again";
    }

    String detail() {
        return broken
                ? "Scan " + scanId + " failed in " + String.join(", ", regions) + ": " + message
                        + " Until it is fixed, scans learn nothing new about this account's keys."
                : "Scan " + scanId + " read " + String.join(", ", regions) + " again.";
    }
}
