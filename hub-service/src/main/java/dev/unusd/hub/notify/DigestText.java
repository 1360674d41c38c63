package dev.unusd.hub.notify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The words every format shares, so Slack, Teams and email say the same thing. */
final class DigestText {

    static final String TEST_MESSAGE = "A test notification from unusd: this channel works.";

    private DigestText() {
    }

    /** "3 findings opened, 1 reopened, 2 resolved". */
    static String headline(ScanDigest.Counts c) {
        return (c.total() == 1 ? "1 finding " : c.total() + " findings ") + "changed: " + counts(c);
    }

    /** "HIGH 1 opened · MEDIUM 2 opened, 2 resolved": only the severities that changed. */
    static String bySeverity(Map<String, ScanDigest.Counts> bySeverity) {
        List<String> parts = new ArrayList<>();
        bySeverity.forEach((severity, c) -> {
            if (c.total() > 0) {
                parts.add(severity + " " + counts(c));
            }
        });
        return String.join(" · ", parts);
    }

    static String byType(Map<String, ScanDigest.Counts> byType) {
        List<String> parts = new ArrayList<>();
        byType.forEach((type, c) -> {
            if (c.total() > 0) {
                parts.add(type + " " + counts(c));
            }
        });
        return String.join(" · ", parts);
    }

    private static String counts(ScanDigest.Counts c) {
        List<String> parts = new ArrayList<>();
        if (c.opened() > 0) {
            parts.add(c.opened() + " opened");
        }
        if (c.reopened() > 0) {
            parts.add(c.reopened() + " reopened");
        }
        if (c.resolved() > 0) {
            parts.add(c.resolved() + " resolved");
        }
        return String.join(", ", parts);
    }

    static String money(ScanDigest d) {
        return "New findings carry " + usd(d.openedMonthlyCostUsd()) + "/month; deleting the unused keys among them saves "
                + usd(d.potentialMonthlySavingsUsd()) + "/month; resolved findings carried "
                + usd(d.resolvedMonthlyCostUsd()) + "/month.";
    }

    static String scope(ScanDigest d) {
        return "Scan " + d.scanId() + " (" + d.scanStatus() + "), " + d.accounts()
                + (d.accounts() == 1 ? " account, " : " accounts, ") + d.regions()
                + (d.regions() == 1 ? " region" : " regions") + " with changes.";
    }

    /** "HIGH · KEY_UNUSED · opened". */
    static String label(ScanDigest.Change c) {
        return c.severity() + " · " + c.type() + " · " + c.change().name().toLowerCase(Locale.ROOT);
    }

    /** "alias/orders (1234abcd-…) in 111122223333 prod, us-east-1, $1.00/month". */
    static String where(ScanDigest.Change c) {
        return (c.alias() != null ? c.alias() + " (" + c.keyId() + ")" : c.keyId()) + " in " + c.awsAccountId() + " "
                + c.accountName() + ", " + c.region() + ", " + usd(c.monthlyCostUsd()) + "/month";
    }

    static String usd(BigDecimal amount) {
        return "$" + amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static String more(ScanDigest d) {
        return d.moreFindings() == 0 ? "" : "and " + d.moreFindings() + " more";
    }

    /** Cuts text to a service's limit, marking the cut. */
    static String fit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
