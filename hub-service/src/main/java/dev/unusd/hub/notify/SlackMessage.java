package dev.unusd.hub.notify;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A digest as Slack Block Kit for an incoming webhook. Slack takes at most 50 blocks a message, 3000 characters in a
 * section's text and 150 in a header: the top findings fit in 25 blocks, every text is cut to its limit.
 */
final class SlackMessage {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SlackMessage() {
    }

    static String test() {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", DigestText.TEST_MESSAGE);
        section(message.putArray("blocks"), DigestText.TEST_MESSAGE);
        return JSON.writeValueAsString(message);
    }

    static String access(AccountAccess a) {
        ObjectNode message = JSON.createObjectNode();
        // The top-level text is mrkdwn as well, and carries the account's name: what notifications show.
        message.put("text", escape(a.headline()));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        text(header.putObject("text"), "plain_text", DigestText.fit(a.headline(), MAX_HEADER_TEXT));
        section(blocks, escape(a.detail()) + "\n<" + a.link() + "|Account in unusd>");
        return JSON.writeValueAsString(message);
    }

    static String weekly(WeeklyReport r) {
        ObjectNode message = JSON.createObjectNode();
        String headline = "unusd: " + DigestText.weeklyHeadline(r);
        message.put("text", escape(headline));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        text(header.putObject("text"), "plain_text", DigestText.fit(headline, MAX_HEADER_TEXT));
        StringBuilder lines = new StringBuilder();
        for (String line : DigestText.weeklyLines(r)) {
            int colon = line.indexOf(": ");
            // "Label: value" lines get a bold label; sentences stay as they are.
            lines.append(colon > 0 && colon < 30 ? "*" + escape(line.substring(0, colon)) + ":* "
                    + escape(line.substring(colon + 2)) : escape(line)).append('\n');
        }
        section(blocks, lines.toString().strip());
        ObjectNode closing = blocks.addObject();
        closing.put("type", "context");
        text(closing.putArray("elements").addObject(), "mrkdwn",
                DigestText.fit(escape(DigestText.weeklyScope(r)) + " · <" + r.link() + "|Summary in unusd>",
                        MAX_SECTION_TEXT));
        return JSON.writeValueAsString(message);
    }

    static String digest(ScanDigest d) {
        ObjectNode message = JSON.createObjectNode();
        String headline = "unusd: " + DigestText.headline(d.changes());
        message.put("text", escape(headline)); // what notifications and screen readers show
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        text(header.putObject("text"), "plain_text", DigestText.fit(headline, MAX_HEADER_TEXT));
        section(blocks, "*By severity:* " + DigestText.bySeverity(d.bySeverity()) + "\n*By type:* "
                + DigestText.byType(d.byType()) + "\n" + DigestText.money(d));
        ObjectNode scope = blocks.addObject();
        scope.put("type", "context");
        text(scope.putArray("elements").addObject(), "mrkdwn", DigestText.fit(DigestText.scope(d), MAX_SECTION_TEXT));
        blocks.addObject().put("type", "divider");
        // Header, summary, scope, divider and the closing context: the findings get what is left of 50 blocks.
        int room = MAX_BLOCKS - blocks.size() - 1;
        for (ScanDigest.Change c : d.topFindings().subList(0, Math.min(room, d.topFindings().size()))) {
            StringBuilder text = new StringBuilder("*" + escape(DigestText.label(c)) + "*\n")
                    .append(escape(c.title())).append('\n')
                    .append(escape(DigestText.where(c))).append('\n');
            if (c.change() != ScanDigest.ChangeKind.RESOLVED && !c.remediation().isEmpty()) {
                text.append("```").append(escape(c.remediation().get(0))).append("```\n");
            }
            text.append('<').append(c.link()).append("|Finding ").append(c.findingId()).append('>');
            section(blocks, text.toString());
        }
        int unshown = d.moreFindings() + Math.max(0, d.topFindings().size() - room);
        ObjectNode closing = blocks.addObject();
        closing.put("type", "context");
        text(closing.putArray("elements").addObject(), "mrkdwn",
                (unshown > 0 ? "and " + unshown + " more · " : "") + "<" + d.link() + "|Scan in unusd>");
        return JSON.writeValueAsString(message);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        text(section.putObject("text"), "mrkdwn", DigestText.fit(mrkdwn, MAX_SECTION_TEXT));
    }

    private static void text(ObjectNode node, String type, String text) {
        node.put("type", type);
        node.put("text", text);
    }

    /** Slack's mrkdwn reads &, < and > as markup: escape them in anything a key or tag may carry. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
