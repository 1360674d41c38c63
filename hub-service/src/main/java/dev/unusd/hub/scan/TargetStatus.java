package dev.unusd.hub.scan;

public enum TargetStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED,
    /** Nothing to scan there, e.g. the account has not enabled the region (error code REGION_NOT_ENABLED). */
    SKIPPED
}
