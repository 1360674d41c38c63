package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;

/** The suite's hub allows one dashboard origin (HUB_CORS_ORIGINS=https://dashboard.example.test). */
class CorsIntegrationTest extends HubIntegrationTest {

    static final String DASHBOARD = "https://dashboard.example.test";
    static final String ELSEWHERE = "https://evil.example.test";

    @Test
    void aPreflightFromTheDashboardIsAnsweredWithoutAToken() {
        ApiClient.Response preflight = anonymous().send("OPTIONS", "/api/v1/findings?status=OPEN", null, Map.of(
                "Origin", DASHBOARD, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization,if-none-match"));

        assertThat(preflight.status()).as(preflight.toString()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET,POST,PUT,PATCH,DELETE");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("authorization, if-none-match");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void theDashboardCanReadAnswersAndRefusals() {
        TenantHandle tenant = newTenant();

        ApiClient.Response page = tenant.api().get("/api/v1/summary", Map.of("Origin", DASHBOARD));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
        assertThat(page.header("Access-Control-Expose-Headers")).isEqualTo("ETag, Location, Retry-After, Content-Disposition");
        // A missing token is answered to the dashboard too, so it can say why.
        ApiClient.Response unauthorized = anonymous().get("/api/v1/summary", Map.of("Origin", DASHBOARD));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
    }

    @Test
    void anotherOriginIsRefused() {
        ApiClient.Response preflight = anonymous().send("OPTIONS", "/api/v1/findings", null, Map.of(
                "Origin", ELSEWHERE, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization"));

        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.contentType()).startsWith("application/problem+json");
        assertThat(preflight.json().get("detail").asString()).isEqualTo("Cross-origin request refused: this origin,"
                + " method or header is not allowed (HUB_CORS_ORIGINS)");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();

        // Its pages get no CORS headers, so the browser lets none of them read an answer.
        ApiClient.Response read = newTenant().api().get("/api/v1/summary", Map.of("Origin", ELSEWHERE));
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();

        // The dashboard itself may send only the headers and methods the API uses.
        ApiClient.Response oddHeader = anonymous().send("OPTIONS", "/api/v1/findings", null, Map.of(
                "Origin", DASHBOARD, "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "x-debug"));
        assertThat(oddHeader.status()).isEqualTo(403);
        ApiClient.Response oddMethod = anonymous().send("OPTIONS", "/api/v1/findings", null, Map.of(
                "Origin", DASHBOARD, "Access-Control-Request-Method", "TRACE"));
        assertThat(oddMethod.status()).isEqualTo(403);
    }
}
