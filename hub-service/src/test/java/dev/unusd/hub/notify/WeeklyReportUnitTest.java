package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WeeklyReportUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");
    private static final LocalTime EIGHT = LocalTime.of(8, 0);

    @Test
    void theReportIsDueAtTheLocalDayAndTimeOfTheTenantsZone() {
        // Monday 08:00 in Kathmandu (UTC+05:45) is 02:15 UTC.
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-12-07T02:15:00Z"), KATHMANDU, DayOfWeek.MONDAY, EIGHT)
                .toInstant()).isEqualTo(Instant.parse("2026-12-07T02:15:00Z"));
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-12-10T12:00:00Z"), KATHMANDU, DayOfWeek.MONDAY, EIGHT)
                .toInstant()).isEqualTo(Instant.parse("2026-12-07T02:15:00Z"));
        // A second before it, the one of the week before.
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-12-07T02:14:59Z"), KATHMANDU, DayOfWeek.MONDAY, EIGHT)
                .toInstant()).isEqualTo(Instant.parse("2026-11-30T02:15:00Z"));
        // Sunday 20:00 UTC is already Monday 01:45 in Kathmandu: the week's Monday is that one, not the one before.
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-12-13T20:00:00Z"), KATHMANDU, DayOfWeek.MONDAY,
                LocalTime.of(1, 0)).toInstant()).isEqualTo(Instant.parse("2026-12-13T19:15:00Z"));
    }

    @Test
    void aTimeThatDaylightSavingSkipsMovesForwardAndOneItRepeatsIsTheFirst() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 29 March 2026, 02:30 does not exist in Berlin (02:00 -> 03:00): 03:30 CEST, 01:30 UTC.
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-03-29T02:00:00Z"), berlin, DayOfWeek.SUNDAY,
                LocalTime.of(2, 30)).toInstant()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        // 25 October 2026, 02:30 happens twice (03:00 -> 02:00): the first, CEST, 00:30 UTC.
        assertThat(WeeklyReports.lastDue(Instant.parse("2026-10-25T03:00:00Z"), berlin, DayOfWeek.SUNDAY,
                LocalTime.of(2, 30)).toInstant()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    }

    @Test
    void weeksAreIsoWeeksOfTheLocalDayAndNameTheEvent() {
        assertThat(WeeklyReports.week(LocalDate.parse("2026-12-07"))).isEqualTo("2026-W50");
        assertThat(WeeklyReports.week(LocalDate.parse("2027-01-01"))).isEqualTo("2026-W53");
        assertThat(WeeklyReports.week(LocalDate.parse("2024-12-30"))).isEqualTo("2025-W01");
        UUID tenant = UUID.fromString("00000000-0000-4000-8000-000000000001");
        assertThat(WeeklyReports.eventId(tenant, "2026-W50")).isEqualTo(WeeklyReports.eventId(tenant, "2026-W50"))
                .isNotEqualTo(WeeklyReports.eventId(tenant, "2026-W51"))
                .isNotEqualTo(WeeklyReports.eventId(UUID.randomUUID(), "2026-W50"));
    }

    @Test
    void aCostOverADifferentNumberOfKeysOfUnknownCostIsNotComparedWithTheWeekBefore() {
        // 40 keys became unknown (DescribeKey denied): their $40 left the sum, nothing was saved.
        WeeklyReport.Totals known = new WeeklyReport.Totals(UUID.randomUUID(), Instant.parse("2026-11-30T01:00:00Z"),
                new BigDecimal("100.00"), new BigDecimal("3.00"), 7, 0);
        WeeklyReport.Totals unknown = new WeeklyReport.Totals(UUID.randomUUID(), Instant.parse("2026-12-07T01:00:00Z"),
                new BigDecimal("60.00"), new BigDecimal("3.00"), 7, 40);
        WeeklyReport denied = weekly(known, unknown);
        assertThat(denied.trend().monthlyCostUsd()).isNull();
        assertThat(denied.trend().openFindings()).isZero();
        assertThat(DigestText.weeklyLines(denied).get(0)).isEqualTo("Monthly KMS cost: $60.00; 40 keys of unknown cost "
                + "not included (0 a week before): the change in a week is not comparable");
        assertThat(JSON.readTree(SlackMessage.weekly(denied)).get("blocks").get(1).get("text").get("text").asString())
                .startsWith("*Monthly KMS cost:* $60.00; 40 keys of unknown cost not included (0 a week before): "
                        + "the change in a week is not comparable\n");
        assertThat(EmailMessage.weekly(denied).text()).doesNotContain("$40.00");
        JsonNode trend = JSON.readTree(ChannelSender.webhookBody(new ChannelSender.Event(UUID.randomUUID(),
                "report.weekly", UUID.randomUUID(), denied.dueAt(), JSON.writeValueAsString(denied)))).get("data")
                .get("trend");
        assertThat(trend.propertyNames()).containsExactly("monthlyCostUsd", "potentialMonthlySavingsUsd", "openFindings");
        assertThat(trend.get("monthlyCostUsd").isNull()).as("no figure a webhook could read as a saving").isTrue();

        // Read again a week later: the $40 is back in the sum, and no rise either.
        WeeklyReport readAgain = weekly(unknown, new WeeklyReport.Totals(UUID.randomUUID(),
                Instant.parse("2026-12-14T01:00:00Z"), new BigDecimal("100.00"), new BigDecimal("3.00"), 7, 0));
        assertThat(DigestText.weeklyLines(readAgain).get(0)).isEqualTo("Monthly KMS cost: $100.00; no key of unknown "
                + "cost, 40 a week before (not included then): the change in a week is not comparable");

        // As many unknown both times: the known costs compare.
        WeeklyReport same = weekly(unknown, new WeeklyReport.Totals(UUID.randomUUID(),
                Instant.parse("2026-12-14T01:00:00Z"), new BigDecimal("59.00"), new BigDecimal("2.00"), 6, 40));
        assertThat(DigestText.weeklyLines(same).get(0))
                .isEqualTo("Monthly KMS cost: $59.00 (-$1.00 in a week); 40 keys of unknown cost not included");
    }

    private static WeeklyReport weekly(WeeklyReport.Totals before, WeeklyReport.Totals now) {
        return new WeeklyReport("2026-W50", LocalDate.parse("2026-12-07"), "UTC", Instant.parse("2026-12-07T08:00:00Z"),
                now, before, WeeklyReport.Trend.between(before, now), Map.of("MEDIUM", 7L),
                "https://hub.example.test/api/v1/summary");
    }

    @Test
    void everyFormatSaysTheSameFiguresAndATrendOnlyWhenThereIsAWeekBefore() {
        WeeklyReport.Totals before = new WeeklyReport.Totals(UUID.randomUUID(), Instant.parse("2026-11-30T01:00:00Z"),
                new BigDecimal("12.00"), new BigDecimal("3.00"), 7, 2);
        WeeklyReport.Totals now = new WeeklyReport.Totals(UUID.randomUUID(), Instant.parse("2026-12-07T01:00:00Z"),
                new BigDecimal("13.50"), new BigDecimal("1.00"), 5, 2);
        Map<String, Long> severities = new LinkedHashMap<>(Map.of("CRITICAL", 0L, "HIGH", 1L, "MEDIUM", 4L, "LOW", 0L));
        WeeklyReport report = new WeeklyReport("2026-W50", LocalDate.parse("2026-12-07"), "Asia/Kathmandu",
                Instant.parse("2026-12-07T02:15:00Z"), now, before, WeeklyReport.Trend.between(before, now), severities,
                "https://hub.example.test/api/v1/summary");

        assertThat(DigestText.weeklyHeadline(report)).isEqualTo("Weekly report 2026-W50: 5 open findings (-2 in a week)");
        assertThat(DigestText.weeklyLines(report)).containsExactly(
                "Monthly KMS cost: $13.50 (+$1.50 in a week); 2 keys of unknown cost not included",
                "Potential savings: $1.00/month by deleting unused keys (-$2.00 in a week)",
                "Open findings: 5 (-2 in a week) · HIGH 1 · MEDIUM 4",
                "Compared with scan " + before.scanId() + " of 2026-11-30T01:00:00Z.");
        assertThat(DigestText.weeklyScope(report)).endsWith("Due Monday 2026-12-07 08:00 Asia/Kathmandu");

        JsonNode slack = JSON.readTree(SlackMessage.weekly(report));
        assertThat(slack.get("blocks").size()).isLessThanOrEqualTo(SlackMessage.MAX_BLOCKS);
        assertThat(slack.get("blocks").get(1).get("text").get("text").asString())
                .contains("*Monthly KMS cost:* $13.50 (+$1.50 in a week)");
        EmailMessage mail = EmailMessage.weekly(report);
        assertThat(mail.subject()).isEqualTo("unusd: Weekly report 2026-W50: 5 open findings (-2 in a week)");
        assertThat(mail.text()).contains("Open findings: 5 (-2 in a week) · HIGH 1 · MEDIUM 4");
        assertThat(TeamsMessage.weekly(report)).contains("\"title\":\"Monthly KMS cost\"");

        // The first week: the figures without a trend.
        WeeklyReport first = new WeeklyReport("2026-W50", LocalDate.parse("2026-12-07"), "UTC",
                Instant.parse("2026-12-07T08:00:00Z"), now, null, null, severities, report.link());
        assertThat(DigestText.weeklyHeadline(first)).isEqualTo("Weekly report 2026-W50: 5 open findings");
        assertThat(DigestText.weeklyLines(first)).last().asString()
                .isEqualTo("No scan had finished a week earlier: the trend starts next week.");
        // The webhook's data round-trips: what ChannelSender reads back is what was queued.
        assertThat(JSON.readValue(JSON.writeValueAsString(report), WeeklyReport.class)).isEqualTo(report);
    }
}
