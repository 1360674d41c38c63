package dev.unusd.hub.notify;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The {@code data} of a {@code scan.findings_changed} event: what one scan changed across all its accounts and
 * regions, as one channel's filters see it. Costs are monthly, in USD; savings are the cost of keys whose
 * KEY_UNUSED finding opened (what deleting them would save).
 */
record ScanDigest(UUID scanId, String scanStatus, Instant finishedAt, Counts changes, Map<String, Counts> byType,
        Map<String, Counts> bySeverity, BigDecimal openedMonthlyCostUsd, BigDecimal potentialMonthlySavingsUsd,
        BigDecimal resolvedMonthlyCostUsd, int accounts, int regions, List<Change> topFindings, int moreFindings,
        String link) {

    record Counts(int opened, int reopened, int resolved) {

        int total() {
            return opened + reopened + resolved;
        }

        Counts plus(ChangeKind kind) {
            return switch (kind) {
                case OPENED -> new Counts(opened + 1, reopened, resolved);
                case REOPENED -> new Counts(opened, reopened + 1, resolved);
                case RESOLVED -> new Counts(opened, reopened, resolved + 1);
            };
        }
    }

    enum ChangeKind {
        /** First seen in this scan. */
        OPENED,
        /** Resolved before, back in this scan. */
        REOPENED,
        /** Gone in this scan. */
        RESOLVED
    }

    /** One finding that changed, with what a reader needs to act on it without opening the hub. */
    record Change(UUID findingId, ChangeKind change, String type, String severity, String title, String keyId,
            @Nullable String alias, UUID accountId, String awsAccountId, String accountName, String region, BigDecimal monthlyCostUsd,
            List<String> remediation, String link) {

        /** The key as a person names it: its first alias, else its id. */
        String keyName() {
            return alias != null ? alias : keyId;
        }
    }
}
