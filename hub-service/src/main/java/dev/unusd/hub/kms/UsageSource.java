package dev.unusd.hub.kms;

/** Where the evidence of a key's last use came from. */
public enum UsageSource {
    KMS_LAST_USAGE, CLOUDTRAIL
}
