package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSmtp;
import dev.unusd.hub.support.TestSpokeSim;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The weekly report through the whole hub: the periodic check (every second in tests) finds it due at the tenant's
 * day and time in its time zone, and it reaches every subscribed channel in its format, once for the week, however
 * many instances look.
 */
class WeeklyReportIntegrationTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BASE = "/api/v1/notification-channels";
    /** UTC+05:45: a time read in the wrong zone is off by an amount no other zone shares. */
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");

    @Autowired
    WeeklyReports reports;

    @Test
    void theReportGoesOutOnceAtTheTenantsLocalTimeToEveryChannelWithTheWeeksTrend() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TenantHandle tenant = newTenant();
            ApiClient api = tenant.api();
            NotificationIntegrationTest.disableSchedule(api);
            String awsAccountId = NotificationIntegrationTest.register(api);

            // Last week: 4 findings open (2 unused keys, 2 keys pending deletion but in use).
            String lastWeek = NotificationIntegrationTest.scan(api);
            JsonNode before = api.get("/api/v1/summary").json();
            ageTotals(lastWeek, Duration.ofDays(8));
            // This week the unused keys were used again: their findings resolve, 2 stay open.
            for (int region = 0; region < 2; region++) {
                TestSpokeSim.get().useKey(awsAccountId, region == 0 ? "us-east-1" : "eu-west-1",
                        NotificationIntegrationTest.keyId(region, 1), "Encrypt");
            }
            String thisWeek = NotificationIntegrationTest.scan(api);
            JsonNode now = api.get("/api/v1/summary").json();

            // The report's time is set far from now while the channels are made, so none of them misses it.
            putWeekly(api, ZonedDateTime.now(KATHMANDU).plusDays(3));
            String domain = "weekly-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
            Map<String, String> pathOf = new LinkedHashMap<>();
            JsonNode webhook = channel(api, receiver, pathOf, "WEBHOOK", "/weekly/hook");
            channel(api, receiver, pathOf, "SLACK", "/weekly/slack");
            channel(api, receiver, pathOf, "TEAMS", "/weekly/teams");
            String email = NotificationIntegrationTest.create(api, Map.of("type", "EMAIL", "name", "weekly mail",
                    "target", "secops@" + domain, "events", List.of("report.weekly"))).get("id").asString();
            // A channel that does not subscribe hears nothing of it.
            String digestsOnly = NotificationIntegrationTest.create(api, Map.of("type", "WEBHOOK", "name", "digests",
                    "target", receiver.url("/weekly/digests-only"))).get("id").asString();
            Thread.sleep(1_100); // the report's time, to the second, comes after the scan's end
            ZonedDateTime due = ZonedDateTime.now(KATHMANDU).truncatedTo(ChronoUnit.SECONDS);
            putWeekly(api, due);

            String week = WeeklyReports.week(due.toLocalDate());
            UUID eventId = WeeklyReports.eventId(tenant.id(), week);
            Receiver.Request hook = receiver.await("/weekly/hook", r -> r.size() == 1, WAIT).get(0);
            assertThat(new StandardWebhooksVerifier(webhook.get("secret").asString()).verify(hook.header("webhook-id"),
                    hook.header("webhook-timestamp"), hook.header("webhook-signature"), hook.body())).isTrue();
            JsonNode event = JSON.readTree(hook.body());
            assertThat(event.propertyNames()).containsExactly("id", "type", "tenantId", "occurredAt", "data");
            assertThat(event.get("id").asString()).isEqualTo(eventId.toString()).isEqualTo(hook.header("webhook-id"));
            assertThat(event.get("type").asString()).isEqualTo("report.weekly");
            assertThat(event.get("tenantId").asString()).isEqualTo(tenant.id().toString());
            // Due at the local time in Kathmandu, not at that time in UTC.
            assertThat(Instant.parse(event.get("occurredAt").asString())).isEqualTo(due.toInstant());
            JsonNode data = event.get("data");
            assertThat(data.get("week").asString()).isEqualTo(week);
            assertThat(data.get("dueOn").asString()).isEqualTo(due.toLocalDate().toString());
            assertThat(data.get("timezone").asString()).isEqualTo("Asia/Kathmandu");
            assertThat(data.get("current").get("scanId").asString()).isEqualTo(thisWeek);
            assertThat(data.get("current").get("openFindings").asLong()).isEqualTo(2);
            assertThat(data.get("current").get("monthlyCostUsd").decimalValue())
                    .isEqualByComparingTo(now.get("monthlyCostUsd").decimalValue());
            assertThat(data.get("current").get("potentialMonthlySavingsUsd").decimalValue())
                    .isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(data.get("weekBefore").get("scanId").asString()).isEqualTo(lastWeek);
            assertThat(data.get("weekBefore").get("openFindings").asLong()).isEqualTo(4);
            BigDecimal savedBefore = before.get("potentialMonthlySavingsUsd").decimalValue();
            assertThat(savedBefore).isPositive();
            assertThat(data.get("weekBefore").get("potentialMonthlySavingsUsd").decimalValue())
                    .isEqualByComparingTo(savedBefore);
            assertThat(data.get("trend").get("openFindings").asLong()).isEqualTo(-2);
            assertThat(data.get("trend").get("potentialMonthlySavingsUsd").decimalValue())
                    .isEqualByComparingTo(savedBefore.negate());
            // Only this tenant's findings, though the suite's other tenants have many open.
            JsonNode bySeverity = data.get("openBySeverity");
            assertThat(bySeverity.propertyNames()).containsExactlyInAnyOrder("CRITICAL", "HIGH", "MEDIUM", "LOW");
            assertThat(List.of(bySeverity.get("CRITICAL").asLong(), bySeverity.get("HIGH").asLong(),
                    bySeverity.get("MEDIUM").asLong(), bySeverity.get("LOW").asLong())).containsExactly(0L, 2L, 0L, 0L);
            assertThat(data.get("link").asString()).isEqualTo("https://hub.example.test/api/v1/summary");

            String headline = "unusd: Weekly report " + week + ": 2 open findings (-2 in a week)";
            JsonNode slack = JSON.readTree(receiver.await("/weekly/slack", r -> r.size() == 1, WAIT).get(0).body());
            assertThat(slack.get("text").asString()).isEqualTo(headline);
            assertThat(slack.get("blocks").toString()).contains("*Open findings:* 2 (-2 in a week) · HIGH 2",
                    "*Potential savings:* $0.00/month by deleting unused keys (-" + DigestText.usd(savedBefore),
                    "Asia/Kathmandu");
            JsonNode teams = JSON.readTree(receiver.await("/weekly/teams", r -> r.size() == 1, WAIT).get(0).body());
            JsonNode card = teams.get("attachments").get(0).get("content");
            assertThat(card.get("type").asString()).isEqualTo("AdaptiveCard");
            assertThat(card.get("body").get(0).get("text").asString()).isEqualTo(headline);
            JsonNode openFact = card.get("body").get(1).get("facts").valueStream()
                    .filter(f -> f.get("title").asString().equals("Open findings")).findFirst().orElseThrow();
            assertThat(openFact.get("value").asString()).isEqualTo("2 (-2 in a week) · HIGH 2");

            MimeMessage mail = awaitMail(domain);
            assertThat(mail.getSubject()).isEqualTo(headline);
            Map<String, String> parts = NotificationIntegrationTest.parts(mail);
            assertThat(parts.get("text/plain")).contains("Open findings: 2 (-2 in a week) · HIGH 2",
                    "Compared with scan " + lastWeek, "https://hub.example.test/api/v1/summary");
            assertThat(parts.get("text/html")).contains("<th align=\"left\">Open findings</th><td>2 (-2 in a week)");

            // Every channel got the same event id, the one of this tenant and week; the digest-only channel nothing.
            for (Map.Entry<String, String> c : pathOf.entrySet()) {
                assertThat(receiver.requests(c.getValue())).extracting(r -> r.header("webhook-id"))
                        .containsExactly(eventId.toString());
            }
            assertThat(NotificationIntegrationTest.awaitDelivery(api, email, "DELIVERED").get("eventId").asString())
                    .isEqualTo(eventId.toString());
            assertThat(NotificationIntegrationTest.deliveries(api, digestsOnly)).isEmpty();
            assertThat(receiver.requests("/weekly/digests-only")).isEmpty();

            // Not twice for the week: more checks (the periodic one, and two instances at once), a time moved later
            // in the same week, change nothing.
            twoInstancesAt(Instant.now());
            putWeekly(api, due.plusSeconds(1));
            Thread.sleep(3_000); // three periodic checks
            for (String path : pathOf.values()) {
                assertThat(receiver.requests(path)).as(path).hasSize(1);
            }
            assertThat(TestSmtp.get().getReceivedMessagesForDomain(domain)).hasSize(1);

            // Next week's, checked by two instances at once: one of them sends it, once, with the next week's id.
            Instant nextWeek = due.plusSeconds(1).plusWeeks(1).plusMinutes(1).toInstant();
            List<Integer> sent = twoInstancesAt(nextWeek);
            assertThat(sent.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(1);
            String nextWeekId = WeeklyReports.eventId(tenant.id(), WeeklyReports.week(due.toLocalDate().plusWeeks(1)))
                    .toString();
            for (String path : pathOf.values()) {
                assertThat(receiver.await(path, r -> r.size() == 2, WAIT)).extracting(r -> r.header("webhook-id"))
                        .containsExactly(eventId.toString(), nextWeekId);
            }
            twoInstancesAt(nextWeek);
            Thread.sleep(1_500);
            for (String path : pathOf.values()) {
                assertThat(receiver.requests(path)).as(path).hasSize(2);
            }
            assertThat(weeksRecorded(tenant.id())).isEqualTo(2);
        }
    }

    @Test
    void aReportDueLongerAgoThanADayIsSkippedAndATenantWithoutScansIsToldSo() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TenantHandle tenant = newTenant();
            ApiClient api = tenant.api();
            NotificationIntegrationTest.disableSchedule(api);
            ZonedDateTime due = ZonedDateTime.now(KATHMANDU).minusDays(2).truncatedTo(ChronoUnit.SECONDS);
            putWeekly(api, due);
            channel(api, receiver, new HashMap<>(), "WEBHOOK", "/late/hook");
            Thread.sleep(2_000); // two periodic checks
            assertThat(receiver.requests("/late/hook")).as("two days late").isEmpty();

            // The same time next week: on time, with no scan to report on yet.
            Instant nextWeek = due.plusWeeks(1).toInstant().plusSeconds(30);
            twoInstancesAt(nextWeek);
            JsonNode data = JSON.readTree(receiver.await("/late/hook", r -> r.size() == 1, WAIT).get(0).body())
                    .get("data");
            assertThat(data.get("current").isNull()).isTrue();
            assertThat(data.get("trend").isNull()).isTrue();
            assertThat(data.get("week").asString()).isEqualTo(WeeklyReports.week(due.toLocalDate().plusWeeks(1)));
        }
    }

    // helpers

    /**
     * Two hub instances' checks at the same moment, racing; how many tenants each sent a report to (other tests'
     * tenants count too, so tests judge by their receivers).
     */
    private List<Integer> twoInstancesAt(Instant at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> checks = List.of(() -> reports.sendDue(at), () -> reports.sendDue(at));
            List<Integer> sent = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(checks)) {
                sent.add(f.get());
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode channel(ApiClient api, Receiver receiver, Map<String, String> pathOf, String type,
            String path) {
        JsonNode created = NotificationIntegrationTest.create(api, Map.of("type", type, "name", type + " weekly",
                "target", receiver.url(path), "events", List.of("report.weekly")));
        pathOf.put(created.get("id").asString(), path);
        return created;
    }

    /** The tenant's schedule in Kathmandu, the weekly report at that moment's weekday and local time. */
    static void putWeekly(ApiClient api, ZonedDateTime at) {
        JsonNode settings = api.get("/api/v1/settings").json();
        Map<String, Object> body = new HashMap<>();
        body.put("exceptionTag", Map.of("key", settings.get("exceptionTag").get("key").asString(),
                "value", settings.get("exceptionTag").get("value").asString()));
        body.put("unusedDays", settings.get("unusedDays").asInt());
        body.put("maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt());
        body.put("defaultRegions", List.of("us-east-1"));
        body.put("schedule", Map.of("cron", "0 0 6 * * *", "timezone", at.getZone().getId(), "enabled", false));
        body.put("weeklyReport", Map.of("dayOfWeek", at.getDayOfWeek().name(),
                "time", at.toLocalTime().truncatedTo(ChronoUnit.SECONDS).toString()));
        ApiClient.Response put = api.put("/api/v1/settings", body);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        JsonNode weekly = put.json().get("weeklyReport");
        assertThat(weekly.get("dayOfWeek").asString()).isEqualTo(at.getDayOfWeek().name());
        assertThat(LocalTime.parse(weekly.get("time").asString())).isEqualTo(at.toLocalTime().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Moves a scan's totals back in time, as if it had finished that long ago. */
    private static void ageTotals(String scanId, Duration by) throws Exception {
        try (Connection c = TestDatabase.get().admin(); PreparedStatement s = c.prepareStatement(
                "update scan_totals set finished_at = finished_at - make_interval(secs => ?) where scan_id = ?")) {
            s.setLong(1, by.toSeconds());
            s.setObject(2, UUID.fromString(scanId));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static long weeksRecorded(UUID tenantId) throws Exception {
        try (Connection c = TestDatabase.get().admin(); PreparedStatement s = c.prepareStatement(
                "select count(*) from notification_weekly_reports where tenant_id = ?")) {
            s.setObject(1, tenantId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static MimeMessage awaitMail(String domain) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (TestSmtp.get().getReceivedMessagesForDomain(domain).length == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        MimeMessage[] got = TestSmtp.get().getReceivedMessagesForDomain(domain);
        assertThat(got).hasSize(1);
        return got[0];
    }
}
