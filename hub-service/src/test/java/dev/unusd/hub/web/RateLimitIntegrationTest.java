package dev.unusd.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.HubIntegrationTest;

class RateLimitIntegrationTest extends HubIntegrationTest {

    @Autowired
    RateLimiter limiter;

    @Value("${hub.api.rate-per-second}")
    double configuredRate;

    @Value("${hub.api.rate-burst}")
    int configuredBurst;

    @Test
    void answers429WithRetryAfterOnceAKeyUsedItsBurst() {
        TenantHandle tenant = newTenant();
        TenantHandle neighbour = newTenant();
        limiter.limit(0.2, 2);
        try {
            assertThat(tenant.api().get("/api/v1/summary").status()).isEqualTo(200);
            assertThat(tenant.api().get("/api/v1/keys").status()).isEqualTo(200);
            ApiClient.Response limited = tenant.api().get("/api/v1/findings");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.contentType()).startsWith("application/problem+json");
            assertThat(limited.json().get("status").asInt()).isEqualTo(429);
            // A token every 5 s: the wait is 5 s at most, and at least 4 s however slow this test runs.
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(4, 5);
            // The limit is per API key: another tenant is not held back.
            assertThat(neighbour.api().get("/api/v1/findings").status()).isEqualTo(200);
        } finally {
            limiter.limit(configuredRate, configuredBurst);
        }
    }

    /**
     * A dashboard session is the key it was signed in with: its pages spend that key's budget, or signing in once
     * would lift the limit (pages and the CSV export read as much as the API does).
     */
    @Test
    void aDashboardSessionSpendsTheBudgetOfItsKey() {
        TenantHandle tenant = newTenant();
        Browser browser = new Browser("http://127.0.0.1:" + port);
        assertThat(browser.signIn(tenant.apiKey()).statusCode()).isEqualTo(302);
        limiter.limit(0.2, 2);
        try {
            assertThat(tenant.api().get("/api/v1/summary").status()).isEqualTo(200);
            assertThat(browser.get("/findings").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = browser.get("/findings/export.csv");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(4, 5);
            assertThat(tenant.api().get("/api/v1/summary").status()).as("the same key through the API").isEqualTo(429);
        } finally {
            limiter.limit(configuredRate, configuredBurst);
        }
    }
}
