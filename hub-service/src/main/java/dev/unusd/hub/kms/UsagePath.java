package dev.unusd.hub.kms;

/** How a key's usage was answered in a scan; a key may take several (GetKeyLastUsage, then the gap sweep). */
public enum UsagePath {
    /** Known used until after the next scan: no call made. */
    SKIPPED,
    /** Spans searched by earlier scans shortened what was asked now. */
    STORED_SPANS,
    LAST_USAGE,
    /** CloudTrail answered in GetKeyLastUsage's stead, its quota being free sooner. */
    CLOUDTRAIL_ASSIST,
    /** The region's one read of the span before usage tracking began. */
    GAP_SWEEP,
    /** A CloudTrail search of this key alone. */
    CLOUDTRAIL_SEARCH,
    /** No source could answer every span the verdict needs. */
    UNKNOWN
}
