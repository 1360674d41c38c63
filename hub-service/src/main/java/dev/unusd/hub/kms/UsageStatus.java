package dev.unusd.hub.kms;

/** Used within the tenant's unusedDays, not used, or impossible to tell (no KEY_UNUSED finding then). */
public enum UsageStatus {
    USED, UNUSED, UNKNOWN
}
