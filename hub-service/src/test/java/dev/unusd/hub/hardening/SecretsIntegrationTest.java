package dev.unusd.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * Runs last, so the log it reads is the whole suite's. A full scenario — tenants, keys, bad and revoked tokens, onboarding, verification, a scan — and then the captured
 * log of the whole test JVM and every error body must be free of API keys, the admin token and AWS session secrets.
 */
@Order(Integer.MAX_VALUE)
class SecretsIntegrationTest extends HubIntegrationTest {

    @Test
    void secretsNeverReachTheLogOrAnErrorBody() throws IOException, InterruptedException {
        List<String> secrets = new ArrayList<>(List.of(ADMIN_TOKEN, TestSpokeSim.HUB_SECRET_KEY));
        List<ApiClient.Response> answers = new ArrayList<>();

        TenantHandle tenant = newTenant();
        secrets.add(tenant.apiKey());
        JsonNode second = tenant.api().post("/api/v1/api-keys", null).json();
        secrets.add(second.get("apiKey").asString());
        tenant.api().delete("/api/v1/api-keys/" + second.get("id").asString());
        answers.add(tenant.api().as(second.get("apiKey").asString()).get("/api/v1/accounts"));
        answers.add(tenant.api().as(tenant.apiKey() + "x").get("/api/v1/accounts"));
        answers.add(tenant.api().get("/api/v1/tenants"));
        answers.add(admin().get("/api/v1/accounts"));
        answers.add(admin().as(ADMIN_TOKEN + "x").get("/api/v1/tenants"));
        answers.add(tenant.api().post("/api/v1/accounts", "{\"awsAccountId\": \"" + tenant.apiKey() + "\"}"));

        String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1"), 2);
        JsonNode account = tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "secrets", "regions", List.of("us-east-1"))).json();
        answers.add(tenant.api().post("/api/v1/accounts/" + account.get("id").asString() + "/verify", null));
        TestSpokeSim.get().deployRole(awsAccountId, "UnusdSpokeRole", account.get("externalId").asString());
        answers.add(tenant.api().post("/api/v1/accounts/" + account.get("id").asString() + "/verify", null));
        String scanId = tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Set.of("QUEUED", "RUNNING").contains(tenant.api().get("/api/v1/scans/" + scanId).json().get("status").asString())
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        secrets.addAll(TestSpokeSim.get().issuedSecrets());
        assertThat(TestSpokeSim.get().issuedSecrets()).isNotEmpty();

        for (ApiClient.Response answer : answers) {
            for (String secret : secrets) {
                assertThat(answer.text()).as("an answer carries a secret").doesNotContain(secret);
            }
        }
        Path log = Path.of(LOG_FILE);
        assertThat(log).exists();
        String captured = Files.readString(log);
        assertThat(captured).contains("Started");
        int leaks = 0;
        for (String secret : secrets) {
            if (captured.contains(secret)) {
                leaks++;
            }
        }
        System.out.printf("secrets: %d secrets checked in %d log lines and %d answers, %d leaks%n", secrets.size(),
                captured.lines().count(), answers.size(), leaks);
        assertThat(leaks).isZero();
    }
}
