package dev.unusd.hub.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A point on a scan's path (or a notification's, or an organisation sync's) where {@link CrashPoints} can halt the
 * hub; configured by name: {@code scan-inserted}.
 */
public enum CrashPoint {

    /** Launch: the scan and its targets are inserted, their tasks not yet scheduled (one transaction, uncommitted). */
    SCAN_INSERTED,
    /** A target's claim is committed: RUNNING, one more attempt. */
    TARGET_CLAIMED,
    /** The spoke role's session for the target's region is resolved; nothing asked of KMS yet. */
    CONNECTED,
    /** A page of ListKeys was answered. */
    KEYS_LISTED,
    /** A DescribeKey was answered: with a count, in the middle of a region's keys. */
    KEY_DESCRIBED,
    /** The region's snapshot is complete; nothing written. */
    COLLECTED,
    /** Reconciliation: the keys are upserted, the findings not (uncommitted). */
    KEYS_UPSERTED,
    /** Reconciliation: the findings that hold are upserted, the others not resolved (uncommitted). */
    FINDINGS_UPSERTED,
    /** Reconciliation: every statement ran, the transaction is not committed. */
    FINDINGS_RESOLVED,
    /** Reconciliation is committed; the target's result is not recorded. */
    RECONCILED,
    /** The target's result is written, not committed; the scan is finalised in a transaction of its own after it. */
    TARGET_RECORDED,
    /** The scan's final status and counts are committed; the finish is not logged and the target's task not removed. */
    SCAN_FINALISED,
    /** A weekly report: its week is recorded and its deliveries queued, not committed. */
    WEEKLY_REPORT_QUEUED,
    /** An organisation sync has read the organisation and marked its sync RUNNING; no account is written yet. */
    ORGANIZATION_READ;

    /** The name configuration uses: {@code key-described}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static CrashPoint ofConfigName(String name) {
        return Arrays.stream(values()).filter(p -> p.configName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("hub.scan.crash-at: unknown crash point '" + name
                        + "'; one of " + Arrays.stream(values()).map(CrashPoint::configName)
                        .collect(Collectors.joining(", "))));
    }
}
