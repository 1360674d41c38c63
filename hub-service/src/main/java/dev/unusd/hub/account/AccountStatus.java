package dev.unusd.hub.account;

public enum AccountStatus {
    /** Registered; the spoke role has not been verified yet. */
    PENDING,
    /** The last verification assumed the role and every permission check passed. */
    CONNECTED,
    /** The last verification failed. */
    FAILED,
    /** Disabled by the tenant: not scanned. */
    DISABLED
}
