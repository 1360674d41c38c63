package dev.unusd.hub.notify;

import org.springframework.web.util.HtmlUtils;

/** A digest as an email: the same content as HTML and as plain text, for clients that show only one. */
record EmailMessage(String subject, String text, String html) {

    static EmailMessage test() {
        return new EmailMessage("unusd: test notification", DigestText.TEST_MESSAGE + "\n",
                "<p>" + HtmlUtils.htmlEscape(DigestText.TEST_MESSAGE) + "</p>");
    }

    static EmailMessage access(AccountAccess a) {
        return new EmailMessage(a.headline(), a.detail() + "\n" + a.link() + "\n", "<p>" + esc(a.detail())
                + "</p><p><a href=\"" + esc(a.link()) + "\">Account in unusd</a></p>");
    }

    static EmailMessage weekly(WeeklyReport r) {
        String headline = DigestText.weeklyHeadline(r);
        StringBuilder text = new StringBuilder(headline).append("\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
                .append("<h2>").append(esc(headline)).append("</h2><table cellpadding=\"6\" style=\"border-collapse:")
                .append("collapse\" border=\"1\">");
        for (String line : DigestText.weeklyLines(r)) {
            text.append(line).append('\n');
            int colon = line.indexOf(": ");
            html.append(colon > 0 && colon < 30
                    ? "<tr><th align=\"left\">" + esc(line.substring(0, colon)) + "</th><td>"
                            + esc(line.substring(colon + 2)) + "</td></tr>"
                    : "<tr><td colspan=\"2\">" + esc(line) + "</td></tr>");
        }
        text.append('\n').append(DigestText.weeklyScope(r)).append('\n').append("Summary: ").append(r.link())
                .append('\n');
        html.append("</table><p style=\"color:#666\">").append(esc(DigestText.weeklyScope(r))).append("</p>")
                .append("<p><a href=\"").append(esc(r.link())).append("\">Summary in unusd</a></p></body></html>");
        return new EmailMessage("unusd: " + headline, text.toString(), html.toString());
    }

    static EmailMessage digest(ScanDigest d) {
        String headline = DigestText.headline(d.changes());
        StringBuilder text = new StringBuilder(headline).append("\n\n")
                .append("By severity: ").append(DigestText.bySeverity(d.bySeverity())).append('\n')
                .append("By type: ").append(DigestText.byType(d.byType())).append('\n')
                .append(DigestText.money(d)).append('\n')
                .append(DigestText.scope(d)).append("\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
                .append("<h2>").append(esc(headline)).append("</h2>")
                .append("<p><b>By severity:</b> ").append(esc(DigestText.bySeverity(d.bySeverity()))).append("<br>")
                .append("<b>By type:</b> ").append(esc(DigestText.byType(d.byType()))).append("<br>")
                .append(esc(DigestText.money(d))).append("<br>")
                .append(esc(DigestText.scope(d))).append("</p>")
                .append("<table cellpadding=\"6\" style=\"border-collapse:collapse\" border=\"1\">")
                .append("<tr><th>Change</th><th>Finding</th><th>Key</th><th>Remediation</th></tr>");
        for (ScanDigest.Change c : d.topFindings()) {
            String remedy = c.change() == ScanDigest.ChangeKind.RESOLVED || c.remediation().isEmpty() ? ""
                    : c.remediation().get(0);
            text.append("* ").append(DigestText.label(c)).append('\n')
                    .append("  ").append(c.title()).append('\n')
                    .append("  ").append(DigestText.where(c)).append('\n');
            if (!remedy.isEmpty()) {
                text.append("  ").append(remedy).append('\n');
            }
            text.append("  ").append(c.link()).append("\n\n");
            html.append("<tr><td>").append(esc(DigestText.label(c))).append("</td><td><a href=\"")
                    .append(esc(c.link())).append("\">").append(esc(c.title())).append("</a></td><td>")
                    .append(esc(DigestText.where(c))).append("</td><td><code>").append(esc(remedy))
                    .append("</code></td></tr>");
        }
        html.append("</table>");
        if (d.moreFindings() > 0) {
            text.append(DigestText.more(d)).append('\n');
            html.append("<p>").append(esc(DigestText.more(d))).append("</p>");
        }
        text.append("Scan: ").append(d.link()).append('\n');
        html.append("<p><a href=\"").append(esc(d.link())).append("\">Scan in unusd</a></p></body></html>");
        return new EmailMessage("unusd: " + headline, text.toString(), html.toString());
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s);
    }
}
