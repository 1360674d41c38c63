package dev.unusd.hub.kms;

/**
 * How usage is resolved ({@code hub.scan.usage-mode}). LAST_USAGE: GetKeyLastUsage first, CloudTrail for what it
 * cannot answer and for keys its own quota can take sooner ({@link UsageResolver}), with incremental rescans.
 * CLOUDTRAIL_ONLY: the classic method, one LookupEvents search per key over the whole window at every scan and no
 * incremental memory; kept as the benchmark's baseline.
 */
public enum UsageMode {
    LAST_USAGE, CLOUDTRAIL_ONLY
}
