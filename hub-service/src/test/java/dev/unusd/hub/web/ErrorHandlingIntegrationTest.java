package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;

class ErrorHandlingIntegrationTest extends HubIntegrationTest {

    @Test
    void unknownRoutesAreProblemDetails() {
        ApiClient.Response response = newTenant().api().get("/api/v1/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(404);
        assertThat(response.json().get("title").asString()).isEqualTo("Not Found");
        assertThat(anonymous().get("/not-the-api").status()).isEqualTo(404);
        assertThat(anonymous().get("/not-the-api").contentType()).startsWith("application/problem+json");
    }

    @Test
    void queryStringsAreAsStrictAsBodies() {
        TenantHandle tenant = newTenant();

        ApiClient.Response misspelt = tenant.api().get("/api/v1/accounts?limt=1");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.contentType()).startsWith("application/problem+json");
        assertThat(misspelt.json().get("errors").toString()).isEqualTo(
                "[{\"field\":\"limt\",\"message\":\"unknown parameter; this endpoint takes limit, cursor\"}]");

        ApiClient.Response twice = tenant.api().get("/api/v1/findings?limit=1&limit=2&status=OPEN&status=RESOLVED");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("errors").toString())
                .isEqualTo("[{\"field\":\"limit\",\"message\":\"must be given once\"}]");

        // On every endpoint, writes included: a filter an endpoint does not have is not silently ignored.
        assertThat(fields(tenant.api().get("/api/v1/keys?manager=CUSTOMER"))).isEqualTo("manager");
        assertThat(fields(tenant.api().get("/api/v1/summary?accountId=" + java.util.UUID.randomUUID())))
                .isEqualTo("accountId");
        assertThat(fields(tenant.api().post("/api/v1/scans?dryRun=true", Map.of()))).isEqualTo("dryRun");
        assertThat(fields(tenant.api().put("/api/v1/settings?force", Map.of()))).isEqualTo("force");
        assertThat(fields(tenant.api().get("/api/v1/findings?region=us-east-1&region=eu-west-1"))).isEqualTo("region");
        assertThat(fields(admin().get("/api/v1/tenants?name=x"))).isEqualTo("name");
        assertThat(tenant.api().get("/api/v1/scans?limit=5").status()).isEqualTo(200);
        assertThat(anonymous().get("/api/v1/onboarding/spoke-role.yaml?v=2").status()).isEqualTo(400);
    }

    private static String fields(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        StringBuilder fields = new StringBuilder();
        response.json().get("errors").forEach(e -> fields.append(fields.isEmpty() ? "" : ",").append(e.get("field").asString()));
        return fields.toString();
    }

    @Test
    void wrongMethodsAreProblemDetails() {
        ApiClient.Response response = newTenant().api().send("PATCH", "/api/v1/settings", Map.of(), Map.of());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Allow")).contains("GET").contains("PUT");
    }

    @Test
    void malformedJsonAndWrongMediaTypesAreBadRequests() {
        TenantHandle tenant = newTenant();

        ApiClient.Response malformed = tenant.api().post("/api/v1/accounts", "{\"awsAccountId\": \"1234");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asString()).isEqualTo("Malformed JSON in request body");
        assertThat(malformed.text()).doesNotContain("Exception").doesNotContain("tools.jackson");

        ApiClient.Response notJson = tenant.api().send("POST", "/api/v1/accounts", null, Map.of("Content-Type", "text/plain"));
        assertThat(notJson.status()).isIn(400, 415);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        ApiClient.Response response = newTenant().api().post("/api/v1/accounts",
                "{\"name\": \"" + "x".repeat(70_000) + "\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void oversizedChunkedBodiesAreRefusedAsSoonAsTheyPassTheLimit() throws Exception {
        TenantHandle tenant = newTenant();
        byte[] body = ("{\"awsAccountId\": \"123456789012\", \"name\": \"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // A body from a stream has no declared length: it goes chunked, and only counting it finds it too large.
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/accounts"))
                        .header("Authorization", "Bearer " + tenant.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"detail\":\"Request body exceeds 65536 bytes\"");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items")).isEmpty();
    }

    @Test
    void everyListRefusesALimitOutOfRangeNamingIt() {
        TenantHandle tenant = newTenant();
        String expected = "[{\"field\":\"limit\",\"message\":\"must be greater than or equal to 1\"}]";
        String tooMany = "[{\"field\":\"limit\",\"message\":\"must be less than or equal to 500\"}]";
        for (String list : List.of("/api/v1/accounts", "/api/v1/api-keys", "/api/v1/suppressions",
                "/api/v1/notification-channels", "/api/v1/organizations", "/api/v1/scans", "/api/v1/keys",
                "/api/v1/findings")) {
            assertThat(errors(tenant.api().get(list + "?limit=0"))).as(list).isEqualTo(expected);
            assertThat(errors(tenant.api().get(list + "?limit=501"))).as(list).isEqualTo(tooMany);
        }
        assertThat(errors(admin().get("/api/v1/tenants?limit=0"))).isEqualTo(expected);
    }

    @Test
    void textOfOnlyWhitespaceIsBlankWhereverItIsTrimmed() throws SQLException {
        TenantHandle tenant = newTenant();
        String ideographicSpace = "\u3000";
        String account = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789012", "name", "kept"))
                .json().get("id").asString();
        String channel = tenant.api().post("/api/v1/notification-channels", Map.of("type", "SLACK", "name", "kept",
                "target", "http://127.0.0.1:9/hook")).json().get("id").asString();
        String organization = tenant.api().post("/api/v1/organizations", Map.of("managementAccountId", "210987654321",
                "name", "kept")).json().get("id").asString();
        String before = state(tenant);

        String blank = "[{\"field\":\"name\",\"message\":\"must not be blank\"}]";
        assertThat(errors(tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", "123456789013", "name", ideographicSpace)))).isEqualTo(blank);
        assertThat(errors(tenant.api().patch("/api/v1/accounts/" + account, Map.of("name", ideographicSpace))))
                .isEqualTo(blank);
        assertThat(errors(tenant.api().post("/api/v1/notification-channels", Map.of("type", "SLACK",
                "name", ideographicSpace + "\u2003", "target", "http://127.0.0.1:9/hook")))).isEqualTo(blank);
        assertThat(errors(tenant.api().patch("/api/v1/notification-channels/" + channel,
                Map.of("name", ideographicSpace)))).isEqualTo(blank);
        assertThat(errors(tenant.api().post("/api/v1/organizations", Map.of("managementAccountId", "210987654322",
                "name", ideographicSpace)))).isEqualTo(blank);
        assertThat(errors(tenant.api().patch("/api/v1/organizations/" + organization,
                Map.of("name", ideographicSpace)))).isEqualTo(blank);
        assertThat(errors(tenant.api().post("/api/v1/suppressions", Map.of("scope", "KEY",
                "keyRef", UUID.randomUUID().toString(), "reason", ideographicSpace, "author", "a"))))
                .isEqualTo("[{\"field\":\"reason\",\"message\":\"must not be blank\"}]");
        assertThat(errors(admin().post("/api/v1/tenants", Map.of("name", ideographicSpace)))).isEqualTo(blank);

        assertThat(state(tenant)).isEqualTo(before);
    }

    @Test
    void controlCharactersAreRefusedInBodiesAndQueryStringsNamingWhere() {
        TenantHandle tenant = newTenant();
        String settings = tenant.api().get("/api/v1/settings").text();
        String control = "[{\"field\":\"%s\",\"message\":\"must not contain control characters\"}]";

        assertThat(errors(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789012",
                "name", "prod\u0000")))).isEqualTo(control.formatted("name"));
        assertThat(errors(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789012",
                "name", "prod", "regions", List.of("us-east-1", "eu-west-1\u0007"))))).isEqualTo(control.formatted("regions[1]"));
        assertThat(errors(tenant.api().put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", "unusd\u0000", "value", "true"), "unusedDays", 90,
                "maxRotationPeriodDays", 365, "defaultRegions", List.of(),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", true)))))
                .isEqualTo(control.formatted("exceptionTag.key"));
        // An unpaired surrogate is no character at all; the database would store it as '?'.
        assertThat(errors(tenant.api().post("/api/v1/accounts",
                "{\"awsAccountId\": \"123456789012\", \"name\": \"prod\\ud800\"}")))
                .isEqualTo("[{\"field\":\"name\",\"message\":\"must not contain an unpaired surrogate\"}]");

        assertThat(errors(tenant.api().get("/api/v1/keys?q=%00"))).isEqualTo(control.formatted("q"));
        assertThat(errors(tenant.api().get("/api/v1/keys?arn=arn%00"))).isEqualTo(control.formatted("arn"));

        assertThat(tenant.api().get("/api/v1/accounts").json().get("items")).isEmpty();
        assertThat(tenant.api().get("/api/v1/settings").text()).isEqualTo(settings);
        // Tabs and line breaks are not control characters here: text may have several lines (a suppression's reason).
        assertThat(tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "123456789012",
                "name", "prod\tEU\r\n")).json().get("name").asString()).isEqualTo("prod\tEU");
    }

    private static String errors(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).isEqualTo("Invalid request");
        return response.json().get("errors").toString();
    }

    /** What the tenant could have changed by a request refused above. */
    private static String state(TenantHandle tenant) throws SQLException {
        try (Connection db = TestDatabase.get().admin(); Statement s = db.createStatement();
                ResultSet tenants = s.executeQuery("select count(*) from tenants")) {
            tenants.next();
            return tenant.api().get("/api/v1/accounts").json().get("items").toString()
                    + tenant.api().get("/api/v1/notification-channels").json().get("items")
                    + tenant.api().get("/api/v1/organizations").json().get("items")
                    + tenant.api().get("/api/v1/suppressions").json().get("items")
                    + " tenants: " + tenants.getLong(1);
        }
    }

    @Test
    void everyResponseCarriesSecurityHeaders() {
        for (ApiClient.Response response : new ApiClient.Response[] {
                newTenant().api().get("/api/v1/settings"), anonymous().get("/api/v1/settings"),
                anonymous().get("/actuator/health") }) {
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
        assertThat(anonymous().get("/api/v1/settings").header("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }
}
