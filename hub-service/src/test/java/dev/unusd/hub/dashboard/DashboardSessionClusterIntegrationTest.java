package dev.unusd.hub.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.unusd.hub.HubApplication;
import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.SessionStore;
import dev.unusd.hub.support.TestDatabase;

/**
 * Two hub instances on one database, as behind a load balancer without sticky sessions: a session signed in on one
 * is signed in on the other, and signing out, revoking its key or leaving it idle ends it on both. The second
 * instance's idle timeout is 2 s (a session keeps the timeout of the instance that created it).
 */
class DashboardSessionClusterIntegrationTest extends HubIntegrationTest {

    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startSecondInstance() {
        Map<String, Object> properties = new HashMap<>(TestDatabase.get().properties());
        properties.putAll(Map.of("server.port", "0", "hub.admin-token", ADMIN_TOKEN, "hub.principal", HUB_ACCOUNT,
                "hub.public-url", "https://hub.example.test", "db-scheduler.scheduler-name", "second-instance",
                "server.servlet.session.timeout", "2s"));
        // Arguments, not builder properties: those are defaults, which application.yml's own values override.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        second = new SpringApplicationBuilder(HubApplication.class).run(args);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private Browser first() {
        return new Browser("http://127.0.0.1:" + port);
    }

    private static String secondBase() {
        return "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port");
    }

    @Test
    void aSessionSignedInOnOneInstanceWorksOnTheOtherUntilSignOut() throws Exception {
        TenantHandle tenant = newTenant();
        Browser onFirst = first();
        Browser onSecond = onFirst.at(secondBase());
        assertThat(onSecond.get("/").statusCode()).isEqualTo(302);

        String session = sessionId(onFirst.signIn(tenant.apiKey()));
        assertThat(SessionStore.sessions(session)).as("in PostgreSQL").isOne();

        HttpResponse<String> overview = onSecond.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("<h1>Overview</h1>");
        // A form of one instance posts to the other: the CSRF token is in the shared session too.
        HttpResponse<String> key = onSecond.submit("/settings", "/settings/api-keys", Map.of());
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.body()).contains("id=\"issued-key\"");
        assertThat(tenant.api().get("/api/v1/api-keys").json().get("items").size()).isEqualTo(2);
        // Shown in that answer only: the shared session never carries the key to the other instance.
        assertThat(onFirst.get("/settings").body()).doesNotContain("id=\"issued-key\"");

        HttpResponse<String> out = onFirst.submit("/", "/sign-out", Map.of());
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?signed-out");
        assertThat(SessionStore.sessions(session)).isZero();
        assertThat(onSecond.get("/").statusCode()).isEqualTo(302);
        assertThat(onSecond.get("/").headers().firstValue("Location").orElseThrow()).endsWith("/sign-in");
    }

    @Test
    void revokingTheKeyOnOneInstanceEndsItsSessionOnTheOther() {
        TenantHandle tenant = newTenant();
        String otherKey = tenant.api().post("/api/v1/api-keys", Map.of()).json().get("apiKey").asString();
        String otherKeyId = tenant.api().as(otherKey).get("/api/v1/api-keys").json().get("items").valueStream()
                .filter(k -> otherKey.startsWith(k.get("prefix").asString())).findFirst().orElseThrow()
                .get("id").asString();
        Browser onFirst = first();
        Browser onSecond = onFirst.at(secondBase());
        onSecond.signIn(otherKey);
        assertThat(onFirst.get("/").statusCode()).isEqualTo(200);

        assertThat(tenant.api().delete("/api/v1/api-keys/" + otherKeyId).status()).isEqualTo(204);

        HttpResponse<String> revoked = onSecond.get("/");
        assertThat(revoked.statusCode()).isEqualTo(302);
        assertThat(revoked.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?revoked");
        assertThat(onFirst.get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void anIdleSessionEndsOnBothInstances() throws Exception {
        TenantHandle tenant = newTenant();
        Browser onFirst = first();
        Browser onSecond = onFirst.at(secondBase());
        onSecond.signIn(tenant.apiKey());
        assertThat(onFirst.get("/").statusCode()).as("used within its idle timeout").isEqualTo(200);

        Thread.sleep(3_000);

        HttpResponse<String> idle = onFirst.get("/");
        assertThat(idle.statusCode()).isEqualTo(302);
        assertThat(idle.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in");
        assertThat(onSecond.get("/").statusCode()).isEqualTo(302);
    }

    /** The session id in the sign-in's cookie. */
    private static String sessionId(HttpResponse<String> signIn) {
        String cookie = signIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION="))
                .findFirst().orElseThrow();
        return SessionStore.sessionId(cookie.substring("SESSION=".length(), cookie.indexOf(';')));
    }
}
