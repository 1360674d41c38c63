package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

class SettingsIntegrationTest extends HubIntegrationTest {

    @Test
    void newTenantsGetTheDefaults() {
        Instant before = Instant.now();
        JsonNode settings = newTenant().api().get("/api/v1/settings").json();

        Instant nextSix = CronExpression.parse("0 0 6 * * *").next(before.atZone(ZoneOffset.UTC)).toInstant();
        assertThat(settings.toString()).isEqualTo("""
                {"exceptionTag":{"key":"unusd","value":"true"},"unusedDays":90,"maxRotationPeriodDays":365,\
                "defaultRegions":[],"schedule":{"cron":"0 0 6 * * *","timezone":"UTC","enabled":true,\
                "nextRunAt":"%s"},"trustedAccounts":[],"weeklyReport":{"dayOfWeek":"MONDAY","time":"08:00:00"}}"""
                .formatted(nextSix));
    }

    @Test
    void replacesSettings() {
        TenantHandle tenant = newTenant();
        Map<String, Object> wanted = settings(Map.of("key", "keep", "value", "yes"), 30, 180,
                List.of("eu-west-1", "us-east-1"), Map.of("cron", "0 30 2 * * MON-FRI", "timezone", "Europe/Berlin", "enabled", false));

        ApiClient.Response put = tenant.api().put("/api/v1/settings", wanted);

        assertThat(put.status()).isEqualTo(200);
        JsonNode read = tenant.api().get("/api/v1/settings").json();
        assertThat(read.get("unusedDays").asInt()).isEqualTo(30);
        assertThat(read.get("maxRotationPeriodDays").asInt()).isEqualTo(180);
        assertThat(read.get("exceptionTag").get("key").asString()).isEqualTo("keep");
        assertThat(read.get("defaultRegions").toString()).isEqualTo("[\"eu-west-1\",\"us-east-1\"]");
        assertThat(read.get("schedule").toString()).isEqualTo(
                "{\"cron\":\"0 30 2 * * MON-FRI\",\"timezone\":\"Europe/Berlin\",\"enabled\":false,\"nextRunAt\":null}");
        assertThat(put.json()).isEqualTo(read);
        // Another tenant is untouched.
        assertThat(newTenant().api().get("/api/v1/settings").json().get("unusedDays").asInt()).isEqualTo(90);
    }

    @Test
    void refusesInvalidSettingsWithFieldMessages() {
        TenantHandle tenant = newTenant();
        Map<String, Object> bad = settings(Map.of("key", "", "value", "true"), 91, 89, List.of("us-east-1", "mars-north-1"),
                Map.of("cron", "0 0 6 * *", "timezone", "Mars/Olympus", "enabled", true));

        ApiClient.Response refused = tenant.api().put("/api/v1/settings", bad);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(fields(refused)).containsExactlyInAnyOrder("exceptionTag.key", "unusedDays", "maxRotationPeriodDays",
                "defaultRegions[1]", "schedule.cron", "schedule.timezone");
        assertThat(tenant.api().get("/api/v1/settings").json().get("unusedDays").asInt()).isEqualTo(90);
    }

    @Test
    void theScheduleSaysWhenItRunsNextAndARepliedDocumentIsAccepted() {
        TenantHandle tenant = newTenant();
        Instant before = Instant.now();
        Map<String, Object> weekly = settings(Map.of("key", "unusd", "value", "true"), 90, 365, List.of("us-east-1"),
                Map.of("cron", "0 15 7 * * MON", "timezone", "Asia/Tokyo", "enabled", true));

        JsonNode put = tenant.api().put("/api/v1/settings", weekly).json();

        Instant nextMonday = CronExpression.parse("0 15 7 * * MON").next(before.atZone(ZoneId.of("Asia/Tokyo")))
                .toInstant();
        assertThat(put.get("schedule").get("nextRunAt").asString()).isEqualTo(nextMonday.toString());
        // What GET answers can be sent back as it is: nextRunAt is read-only and ignored.
        JsonNode read = tenant.api().get("/api/v1/settings").json();
        assertThat(tenant.api().put("/api/v1/settings", read.toString()).status()).isEqualTo(200);
    }

    @Test
    void refusesSchedulesThatFireTooOftenOrNotEveryYear() {
        TenantHandle tenant = newTenant();
        // The suite's minimum interval is 2 s (HUB_SCHEDULE_MIN_INTERVAL; 1 h by default).
        ApiClient.Response everySecond = tenant.api().put("/api/v1/settings", settings(Map.of("key", "unusd", "value",
                "true"), 90, 365, List.of("us-east-1"), Map.of("cron", "* * * * * *", "timezone", "UTC", "enabled", true)));
        ApiClient.Response never = tenant.api().put("/api/v1/settings", settings(Map.of("key", "unusd", "value",
                "true"), 90, 365, List.of("us-east-1"), Map.of("cron", "0 0 6 30 2 *", "timezone", "UTC", "enabled", false)));

        assertThat(everySecond.status()).isEqualTo(400);
        assertThat(everySecond.contentType()).startsWith("application/problem+json");
        assertThat(everySecond.json().get("errors").toString()).isEqualTo("[{\"field\":\"schedule.cron\",\"message\":"
                + "\"must fire at most once every 2 seconds; this expression fires 1 second apart\"}]");
        assertThat(never.status()).isEqualTo(400);
        assertThat(never.json().get("errors").toString()).isEqualTo("[{\"field\":\"schedule.cron\",\"message\":"
                + "\"must fire at least once a year; this expression never fires\"}]");
        assertThat(tenant.api().get("/api/v1/settings").json().get("schedule").get("cron").asString())
                .isEqualTo("0 0 6 * * *");
    }

    @Test
    void refusesASchedulePutThatADaylightSavingChangeBringsCloserThanTheMinimumAndChangesNothing() {
        TenantHandle tenant = newTenant();
        JsonNode before = tenant.api().get("/api/v1/settings").json();
        // 01:59:59 and 03:00:00 are an hour and a second apart as written, one second on the day New York springs
        // forward: under the suite's minimum of 2 s.
        String cron = "0,59 0,59 1,3 * * *";
        ApiClient.Response refused = tenant.api().put("/api/v1/settings", settings(Map.of("key", "unusd", "value",
                "true"), 90, 365, List.of("us-east-1"), Map.of("cron", cron, "timezone", "America/New_York",
                "enabled", true)));

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(fields(refused)).containsExactly("schedule.cron");
        assertThat(refused.json().get("errors").get(0).get("message").asString()).matches("must fire at most once"
                + " every 2 seconds; this expression fires 1 second apart in America/New_York when its clocks change"
                + " on \\d{4}-03-\\d{2}");
        assertThat(tenant.api().get("/api/v1/settings").json()).isEqualTo(before);

        // The same schedule on a clock that never changes is accepted.
        ApiClient.Response utc = tenant.api().put("/api/v1/settings", settings(Map.of("key", "unusd", "value",
                "true"), 90, 365, List.of("us-east-1"), Map.of("cron", cron, "timezone", "UTC", "enabled", true)));
        assertThat(utc.status()).as(utc.text()).isEqualTo(200);
        assertThat(utc.json().get("schedule").get("cron").asString()).isEqualTo(cron);
    }

    @Test
    void theWeeklyReportTimeIsReplacedKeptWhenLeftOutAndRefusedWhenItIsNoDayOrTime() {
        TenantHandle tenant = newTenant();
        Map<String, Object> base = settings(Map.of("key", "unusd", "value", "true"), 90, 365, List.of("us-east-1"),
                Map.of("cron", "0 0 6 * * *", "timezone", "Asia/Kathmandu", "enabled", false));
        Map<String, Object> friday = new java.util.HashMap<>(base);
        friday.put("weeklyReport", Map.of("dayOfWeek", "FRIDAY", "time", "16:30"));

        ApiClient.Response put = tenant.api().put("/api/v1/settings", friday);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().get("weeklyReport").toString()).isEqualTo("{\"dayOfWeek\":\"FRIDAY\",\"time\":\"16:30:00\"}");
        // Left out: kept.
        assertThat(tenant.api().put("/api/v1/settings", base).json().get("weeklyReport").toString())
                .isEqualTo("{\"dayOfWeek\":\"FRIDAY\",\"time\":\"16:30:00\"}");

        for (Map<String, Object> weekly : List.<Map<String, Object>>of(Map.of("dayOfWeek", "FUNDAY", "time", "08:00"),
                Map.of("dayOfWeek", "MONDAY", "time", "25:00"), Map.of("time", "08:00"))) {
            Map<String, Object> bad = new java.util.HashMap<>(base);
            bad.put("weeklyReport", weekly);
            ApiClient.Response refused = tenant.api().put("/api/v1/settings", bad);
            assertThat(refused.status()).as(weekly.toString()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(fields(refused)).as(weekly.toString()).singleElement().asString().startsWith("weeklyReport");
        }
        assertThat(tenant.api().get("/api/v1/settings").json().get("weeklyReport").toString())
                .isEqualTo("{\"dayOfWeek\":\"FRIDAY\",\"time\":\"16:30:00\"}");
    }

    @Test
    void refusesWrongTypesMissingAndRepeatedValues() {
        TenantHandle tenant = newTenant();
        ApiClient.Response wrongType = tenant.api().put("/api/v1/settings",
                "{\"exceptionTag\":{\"key\":\"unusd\",\"value\":\"true\"},\"unusedDays\":\"ninety\",\"maxRotationPeriodDays\":365,"
                        + "\"defaultRegions\":[\"us-east-1\"],\"schedule\":{\"cron\":\"0 0 6 * * *\",\"timezone\":\"UTC\",\"enabled\":true}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(fields(wrongType)).containsExactly("unusedDays");

        ApiClient.Response missing = tenant.api().put("/api/v1/settings", Map.of("unusedDays", 10));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(fields(missing)).contains("exceptionTag", "maxRotationPeriodDays", "defaultRegions", "schedule");

        Map<String, Object> repeated = settings(Map.of("key", "unusd", "value", "true"), 90, 365,
                List.of("us-east-1", "us-east-1"), Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", true));
        ApiClient.Response dup = tenant.api().put("/api/v1/settings", repeated);
        assertThat(dup.status()).isEqualTo(400);
        assertThat(fields(dup)).containsExactly("defaultRegions");

        assertThat(tenant.api().put("/api/v1/settings", "{\"unusedDays\": ").status()).isEqualTo(400);
    }

    @Test
    void aNumberWithAFractionIsNotAWholeNumberOfDays() {
        TenantHandle tenant = newTenant();
        JsonNode before = tenant.api().get("/api/v1/settings").json();
        for (String days : List.of("30.9", "30.0", "3e1")) {
            ApiClient.Response refused = tenant.api().put("/api/v1/settings",
                    "{\"exceptionTag\":{\"key\":\"unusd\",\"value\":\"true\"},\"unusedDays\":" + days
                            + ",\"maxRotationPeriodDays\":365,\"defaultRegions\":[],"
                            + "\"schedule\":{\"cron\":\"0 0 6 * * *\",\"timezone\":\"UTC\",\"enabled\":true}}");
            assertThat(refused.status()).as(days + " -> " + refused.text()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").toString())
                    .isEqualTo("[{\"field\":\"unusedDays\",\"message\":\"must be an integer\"}]");
        }
        assertThat(tenant.api().get("/api/v1/settings").json().get("unusedDays")).isEqualTo(before.get("unusedDays"));
    }

    static Map<String, Object> settings(Map<String, Object> tag, int unusedDays, int maxRotation, List<String> regions,
            Map<String, Object> schedule) {
        return Map.of("exceptionTag", tag, "unusedDays", unusedDays, "maxRotationPeriodDays", maxRotation,
                "defaultRegions", regions, "schedule", schedule);
    }

    static List<String> fields(ApiClient.Response response) {
        return java.util.stream.StreamSupport.stream(response.json().get("errors").spliterator(), false)
                .map(e -> e.get("field").asString()).toList();
    }
}
