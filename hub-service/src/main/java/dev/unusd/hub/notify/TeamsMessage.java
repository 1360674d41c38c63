package dev.unusd.hub.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A digest as an Adaptive Card in the message a Teams Workflows webhook takes. Teams refuses messages over about
 * 28 KB: findings are dropped from the end until the whole message fits, and the card says how many were left out.
 * Teams reads every TextBlock and fact as Markdown, so all text goes through {@link #plain(String)} but the one link
 * the hub writes itself.
 */
final class TeamsMessage {

    static final int MAX_BYTES = 28 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern BULLET_OR_HEADING = Pattern.compile("(?m)^([ \\t]*)([-+#=])");
    private static final Pattern NUMBERED = Pattern.compile("(?m)^([ \\t]*\\d{1,9})([.)])(?=\\s|$)");

    private TeamsMessage() {
    }

    static String test() {
        ObjectNode card = card();
        textBlock(card.withArray("body"), DigestText.TEST_MESSAGE, true);
        return JSON.writeValueAsString(message(card));
    }

    static String access(AccountAccess a) {
        ObjectNode card = card();
        ObjectNode title = textBlock(card.withArray("body"), a.headline(), true);
        title.put("size", "Large");
        title.put("weight", "Bolder");
        textBlock(card.withArray("body"), a.detail(), true);
        ObjectNode open = card.putArray("actions").addObject();
        open.put("type", "Action.OpenUrl");
        open.put("title", "Account in unusd");
        open.put("url", a.link());
        return JSON.writeValueAsString(message(card));
    }

    static String weekly(WeeklyReport r) {
        ObjectNode card = card();
        ArrayNode body = card.withArray("body");
        ObjectNode title = textBlock(body, "unusd: " + DigestText.weeklyHeadline(r), true);
        title.put("size", "Large");
        title.put("weight", "Bolder");
        ObjectNode facts = body.addObject();
        facts.put("type", "FactSet");
        ArrayNode list = facts.putArray("facts");
        for (String line : DigestText.weeklyLines(r)) {
            int colon = line.indexOf(": ");
            if (colon > 0 && colon < 30) {
                fact(list, line.substring(0, colon), line.substring(colon + 2));
            } else {
                textBlock(body, line, true);
            }
        }
        textBlock(body, DigestText.weeklyScope(r), true).put("isSubtle", true);
        ObjectNode open = card.putArray("actions").addObject();
        open.put("type", "Action.OpenUrl");
        open.put("title", "Summary in unusd");
        open.put("url", r.link());
        return JSON.writeValueAsString(message(card));
    }

    static String digest(ScanDigest d) {
        for (int shown = d.topFindings().size(); ; shown--) {
            String message = JSON.writeValueAsString(message(card(d, d.topFindings().subList(0, shown))));
            if (message.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || shown == 0) {
                return message;
            }
        }
    }

    private static ObjectNode card(ScanDigest d, List<ScanDigest.Change> shown) {
        ObjectNode card = card();
        ArrayNode body = card.withArray("body");
        ObjectNode title = textBlock(body, "unusd: " + DigestText.headline(d.changes()), true);
        title.put("size", "Large");
        title.put("weight", "Bolder");
        ObjectNode facts = body.addObject();
        facts.put("type", "FactSet");
        ArrayNode list = facts.putArray("facts");
        fact(list, "By severity", DigestText.bySeverity(d.bySeverity()));
        fact(list, "By type", DigestText.byType(d.byType()));
        fact(list, "Cost", DigestText.money(d));
        fact(list, "Scope", DigestText.scope(d));
        for (ScanDigest.Change c : shown) {
            ObjectNode container = body.addObject();
            container.put("type", "Container");
            container.put("separator", true);
            ArrayNode items = container.putArray("items");
            textBlock(items, DigestText.label(c), true).put("weight", "Bolder");
            textBlock(items, c.title(), true);
            textBlock(items, DigestText.where(c), true).put("isSubtle", true);
            if (c.change() != ScanDigest.ChangeKind.RESOLVED && !c.remediation().isEmpty()) {
                textBlock(items, c.remediation().get(0), true).put("fontType", "Monospace");
            }
            // The hub's own Markdown: a finding id and the hub's URL, nothing a tenant or AWS wrote.
            markdownBlock(items, "[Finding " + c.findingId() + "](" + c.link() + ")", true);
        }
        int unshown = d.moreFindings() + d.topFindings().size() - shown.size();
        if (unshown > 0) {
            textBlock(body, "and " + unshown + " more", true).put("isSubtle", true);
        }
        ObjectNode open = card.putArray("actions").addObject();
        open.put("type", "Action.OpenUrl");
        open.put("title", "Scan in unusd");
        open.put("url", d.link());
        return card;
    }

    private static ObjectNode card() {
        ObjectNode card = JSON.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.putArray("body");
        return card;
    }

    private static ObjectNode message(ObjectNode card) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    private static ObjectNode textBlock(ArrayNode into, String text, boolean wrap) {
        return markdownBlock(into, plain(text), wrap);
    }

    private static ObjectNode markdownBlock(ArrayNode into, String markdown, boolean wrap) {
        ObjectNode block = into.addObject();
        block.put("type", "TextBlock");
        block.put("text", markdown);
        block.put("wrap", wrap);
        return block;
    }

    private static void fact(ArrayNode facts, String title, String value) {
        ObjectNode fact = facts.addObject();
        fact.put("title", plain(title));
        fact.put("value", plain(value.isEmpty() ? "-" : value));
    }

    /**
     * Text shown as typed: an account name such as {@code [Action required](https://evil.example)} would otherwise
     * render as a link, and {@code alias/a_b_c} in italics. Backslash escapes are CommonMark's, which Teams follows.
     */
    static String plain(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\`*_[]<>~".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        // List items and headings only start a line: "- x", "+ x", "# x", "1. x", a line of "---" or "===".
        String lines = BULLET_OR_HEADING.matcher(escaped).replaceAll("$1\\\\$2");
        return NUMBERED.matcher(lines).replaceAll("$1\\\\$2");
    }
}
