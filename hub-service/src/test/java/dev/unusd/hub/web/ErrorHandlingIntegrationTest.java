package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;

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
