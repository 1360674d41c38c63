package dev.unusd.hub.notify;

/** Where a channel sends: each has its own format and size limits. */
enum ChannelType {
    /** Block Kit through an incoming webhook. */
    SLACK,
    /** An Adaptive Card through a Workflows ("Post to a channel when a webhook request is received") webhook. */
    TEAMS,
    /** HTML and plain text through the hub's SMTP server; the target is a comma-separated list of addresses. */
    EMAIL,
    /** JSON signed per the Standard Webhooks specification. */
    WEBHOOK;

    boolean isUrl() {
        return this != EMAIL;
    }
}
