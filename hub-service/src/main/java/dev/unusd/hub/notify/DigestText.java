package dev.unusd.hub.notify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

    /** "Weekly report 2026-W49: 4 open findings (+2 in a week)". */
    static String weeklyHeadline(WeeklyReport r) {
        if (r.current() == null) {
            return "Weekly report " + r.week() + ": no scan has finished yet";
        }
        long open = r.current().openFindings();
        return "Weekly report " + r.week() + ": " + open + (open == 1 ? " open finding" : " open findings")
                + (r.trend() == null ? "" : " (" + change(r.trend().openFindings()) + " in a week)");
    }

    /** The report's figures, one line each, the same in every format. */
    static List<String> weeklyLines(WeeklyReport r) {
        WeeklyReport.Totals now = r.current();
        WeeklyReport.Trend trend = r.trend();
        if (now == null) {
            return List.of("No scan has finished yet: the next report has figures once one has.");
        }
        List<String> lines = new ArrayList<>();
        lines.add("Monthly KMS cost: " + usd(now.monthlyCostUsd()) + costChange(now, r.weekBefore(), trend));
        lines.add("Potential savings: " + usd(now.potentialMonthlySavingsUsd()) + "/month by deleting unused keys"
                + (trend == null ? "" : " (" + change(trend.potentialMonthlySavingsUsd()) + " in a week)"));
        List<String> severities = new ArrayList<>();
        for (String severity : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
            long n = r.openBySeverity().getOrDefault(severity, 0L);
            if (n > 0) {
                severities.add(severity + " " + n);
            }
        }
        lines.add("Open findings: " + now.openFindings()
                + (trend == null ? "" : " (" + change(trend.openFindings()) + " in a week)")
                + (severities.isEmpty() ? "" : " · " + String.join(" · ", severities)));
        lines.add(r.weekBefore() == null
                ? "No scan had finished a week earlier: the trend starts next week."
                : "Compared with scan " + r.weekBefore().scanId() + " of " + r.weekBefore().scanFinishedAt() + ".");
        return lines;
    }

    /**
     * " (+$1.00 in a week)", with the keys of unknown cost the figure leaves out; when their number changed in the
     * week, why there is no change to give: "; 40 keys of unknown cost not included (0 a week before): ...".
     */
    private static String costChange(WeeklyReport.Totals now, WeeklyReport.@Nullable Totals before,
            WeeklyReport.@Nullable Trend trend) {
        String unknown = now.costUnknownKeys() == 0 ? ""
                : "; " + keys(now.costUnknownKeys()) + " of unknown cost not included";
        if (trend == null || before == null) {
            return unknown;
        }
        BigDecimal delta = trend.monthlyCostUsd();
        if (delta != null) {
            return " (" + change(delta) + " in a week)" + unknown;
        }
        String notComparable = ": the change in a week is not comparable";
        return now.costUnknownKeys() == 0
                ? "; no key of unknown cost, " + before.costUnknownKeys() + " a week before (not included then)"
                        + notComparable
                : unknown + " (" + before.costUnknownKeys() + " a week before)" + notComparable;
    }

    private static String keys(long n) {
        return n == 1 ? "1 key" : n + " keys";
    }

    /** "Latest scan ... · due Monday 2026-12-07 08:00 Europe/Berlin". */
    static String weeklyScope(WeeklyReport r) {
        java.time.ZonedDateTime due = r.dueAt().atZone(java.time.ZoneId.of(r.timezone()));
        String when = "Due " + due.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH) + " "
                + r.dueOn() + " " + due.toLocalTime() + " " + r.timezone();
        return r.current() == null ? when
                : "Latest scan " + r.current().scanId() + " of " + r.current().scanFinishedAt() + " · " + when;
    }

    /** "+$1.00", "-$0.50", "unchanged". */
    static String change(BigDecimal delta) {
        int sign = delta.signum();
        return sign == 0 ? "unchanged" : (sign > 0 ? "+" : "-") + usd(delta.abs());
    }

    static String change(long delta) {
        return delta == 0 ? "unchanged" : delta > 0 ? "+" + delta : Long.toString(delta);
    }

    /** Cuts text to a service's limit, marking the cut. */
    static String fit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
