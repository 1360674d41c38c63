package dev.unusd.hub.scan;

/** Where a scan is: QUEUED until a target starts, RUNNING until every target ended, then how it ended. */
public enum ScanStatus {
    QUEUED, RUNNING,
    /** No target failed (skipped targets are not failures). */
    SUCCEEDED,
    /** Some targets failed, some succeeded. */
    PARTIAL,
    /** Every target that was not skipped failed. */
    FAILED;

    boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
