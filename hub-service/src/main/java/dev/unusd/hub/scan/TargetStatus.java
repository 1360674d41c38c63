package dev.unusd.hub.scan;

public enum TargetStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED,
    /**
     * Nothing to scan there: the account has not enabled the region (error code REGION_NOT_ENABLED), or the account was
     * disabled after the scan was launched (ACCOUNT_DISABLED), or the region taken out of its list since
     * (REGION_REMOVED).
     */
    SKIPPED
}
