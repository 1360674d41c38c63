package dev.unusd.hub.notify;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of event a channel can subscribe to, by their wire name. */
enum NotificationEvent {
    /** After a scan: what changed since the previous one; never sent when nothing did. */
    SCAN_FINDINGS_CHANGED("scan.findings_changed"),
    /** An account's spoke role could not be assumed or lacks a permission; and, once, when it works again. */
    ACCOUNT_ACCESS_BROKEN("account.access_broken"),
    /** Once a week at the tenant's day and time: cost, savings, open findings, and how they moved in a week. */
    REPORT_WEEKLY("report.weekly"),
    /** The sample {@code POST .../{id}/test} sends; not subscribable. */
    TEST("notification.test");

    private final String wireName;

    NotificationEvent(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<NotificationEvent> subscribable(String wireName) {
        return Arrays.stream(values()).filter(e -> e != TEST && e.wireName.equals(wireName)).findFirst();
    }

    static NotificationEvent ofWireName(String wireName) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event " + wireName));
    }
}
