package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * The rendered examples in docs/examples, which the README shows, are what the hub sends for a fixed digest and a
 * fixed weekly report: this test fails when a format changes and they do not. {@code -Dexamples.write=true}
 * rewrites them.
 */
class RenderedExamplesUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");
    private static final String HUB = "https://hub.example.com";
    private static final UUID TENANT = UUID.fromString("6f1c2a80-3b7e-4d25-9a61-0c4e8f2d7b13");

    @Test
    void theScanDigestExamplesAreWhatTheHubSends() throws IOException {
        ScanDigest digest = digest();
        ChannelSender.Event event = new ChannelSender.Event(UUID.fromString("3d0b5f7e-2a4c-4e1f-8b6d-9c7a1e2f3b40"),
                "scan.findings_changed", TENANT, digest.finishedAt(), JSON.writeValueAsString(digest));
        checkEveryFormat("scan-digest", SlackMessage.digest(digest), TeamsMessage.digest(digest),
                EmailMessage.digest(digest), event);
    }

    @Test
    void theWeeklyReportExamplesAreWhatTheHubSends() throws IOException {
        WeeklyReport report = weekly();
        ChannelSender.Event event = new ChannelSender.Event(WeeklyReports.eventId(TENANT, report.week()),
                "report.weekly", TENANT, report.dueAt(), JSON.writeValueAsString(report));
        checkEveryFormat("weekly-report", SlackMessage.weekly(report), TeamsMessage.weekly(report),
                EmailMessage.weekly(report), event);
    }

    /** One event as each channel type renders it, against docs/examples/{@code name}.*. */
    private static void checkEveryFormat(String name, String slack, String teams, EmailMessage mail,
            ChannelSender.Event event) throws IOException {
        check(name + ".slack.json", pretty(slack));
        check(name + ".teams.json", pretty(teams));
        check(name + ".email.txt", "Subject: " + mail.subject() + "\n\n" + mail.text());
        check(name + ".email.html", mail.html() + "\n");
        check(name + ".webhook.json", pretty(ChannelSender.webhookBody(event)));
    }

    private static void check(String name, String rendered) throws IOException {
        Path file = EXAMPLES.resolve(name);
        if (Boolean.getBoolean("examples.write")) {
            Files.createDirectories(EXAMPLES);
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        assertThat(file).as("docs/examples/%s (rewrite with -Dexamples.write=true)", name).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("docs/examples/" + name).isEqualTo(rendered);
    }

    private static String pretty(String json) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)) + "\n";
    }

    /** The first scan of a one-account organisation: in each of two regions an unused key and one pending deletion. */
    private static ScanDigest digest() {
        UUID scan = UUID.fromString("12625d38-6eb5-4ac6-9c43-e47098327bed");
        UUID account = UUID.fromString("a3c1f0d2-5b6e-4f78-9a0b-1c2d3e4f5a6b");
        List<ScanDigest.Change> top = List.of(
                change("2cd79763-5af0-4c62-94b1-d8f4253c1382", "PENDING_DELETION_IN_USE", "HIGH",
                        "Key pending deletion is still in use", "11000002-0000-4000-8000-000000000002", null,
                        account, "eu-west-1", "0.00", "aws kms cancel-key-deletion --key-id "
                                + "11000002-0000-4000-8000-000000000002 --region eu-west-1"),
                change("7e1d9a44-0c3b-4f6e-8d2a-5b9c1e7f3a28", "PENDING_DELETION_IN_USE", "HIGH",
                        "Key pending deletion is still in use", "01000002-0000-4000-8000-000000000002", null,
                        account, "us-east-1", "0.00", "aws kms cancel-key-deletion --key-id "
                                + "01000002-0000-4000-8000-000000000002 --region us-east-1"),
                change("cb1856ac-68a4-45af-91cc-7b5950bcc7da", "KEY_UNUSED", "MEDIUM",
                        "Customer-managed KMS key not used", "11000001-0000-4000-8000-000000000001", "alias/orders",
                        account, "eu-west-1", "1.00", "aws kms disable-key --key-id "
                                + "11000001-0000-4000-8000-000000000001 --region eu-west-1"),
                change("4f0a6c1e-9d2b-4a7e-b3c8-2e5d7f9a1b06", "KEY_UNUSED", "MEDIUM",
                        "Customer-managed KMS key not used", "01000001-0000-4000-8000-000000000001", "alias/orders",
                        account, "us-east-1", "1.00", "aws kms disable-key --key-id "
                                + "01000001-0000-4000-8000-000000000001 --region us-east-1"));
        Map<String, ScanDigest.Counts> byType = new LinkedHashMap<>();
        byType.put("KEY_UNUSED", new ScanDigest.Counts(2, 0, 0));
        byType.put("PENDING_DELETION_IN_USE", new ScanDigest.Counts(2, 0, 0));
        Map<String, ScanDigest.Counts> bySeverity = new LinkedHashMap<>();
        bySeverity.put("CRITICAL", new ScanDigest.Counts(0, 0, 0));
        bySeverity.put("HIGH", new ScanDigest.Counts(2, 0, 0));
        bySeverity.put("MEDIUM", new ScanDigest.Counts(2, 0, 0));
        bySeverity.put("LOW", new ScanDigest.Counts(0, 0, 0));
        return new ScanDigest(scan, "SUCCEEDED", Instant.parse("2026-12-07T06:00:42Z"), new ScanDigest.Counts(4, 0, 0),
                byType, bySeverity, new BigDecimal("2.00"), new BigDecimal("2.00"), new BigDecimal("0.00"), 1, 2, top,
                0, HUB + "/api/v1/scans/" + scan);
    }

    private static ScanDigest.Change change(String id, String type, String severity, String title, String keyId,
            String alias, UUID account, String region, String cost, String remediation) {
        return new ScanDigest.Change(UUID.fromString(id), ScanDigest.ChangeKind.OPENED, type, severity, title, keyId,
                alias, account, "334961767001", "prod", region, new BigDecimal(cost), List.of(remediation),
                HUB + "/api/v1/findings/" + id);
    }

    /**
     * Monday 08:00 in Berlin: a week in which two unused keys were deleted and one new finding opened; one key's cost
     * unknown both times, so the costs compare.
     */
    private static WeeklyReport weekly() {
        WeeklyReport.Totals before = new WeeklyReport.Totals(UUID.fromString("8b2e4c6a-1d3f-4a5b-9c7e-0f1a2b3c4d5e"),
                Instant.parse("2026-11-30T05:00:37Z"), new BigDecimal("14.00"), new BigDecimal("5.00"), 9, 1);
        WeeklyReport.Totals now = new WeeklyReport.Totals(UUID.fromString("5e7f9a1b-3c5d-4e6f-8a0b-2c4d6e8f0a1b"),
                Instant.parse("2026-12-07T05:00:41Z"), new BigDecimal("12.00"), new BigDecimal("3.00"), 8, 1);
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        bySeverity.put("CRITICAL", 1L);
        bySeverity.put("HIGH", 2L);
        bySeverity.put("MEDIUM", 5L);
        bySeverity.put("LOW", 0L);
        return new WeeklyReport("2026-W50", LocalDate.parse("2026-12-07"), "Europe/Berlin",
                Instant.parse("2026-12-07T07:00:00Z"), now, before, WeeklyReport.Trend.between(before, now),
                bySeverity, HUB + "/api/v1/summary");
    }
}
