package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** account.access_broken: told once when scans cannot get into an account, once when they can again. */
class AccountAccessIntegrationTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anAccountWhoseRoleCannotBeAssumedIsToldOnceBrokenAndOnceFixed() throws Exception {
        try (Receiver receiver = new Receiver()) {
            ApiClient api = newTenant().api();
            NotificationIntegrationTest.disableSchedule(api);
            JsonNode channel = NotificationIntegrationTest.create(api, Map.of("type", "WEBHOOK", "name", "access",
                    "events", List.of("account.access_broken"), "target", receiver.url("/access")));
            String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1"), 2);
            ApiClient.Response account = api.post("/api/v1/accounts", Map.of("awsAccountId", awsAccountId,
                    "name", "payments", "regions", List.of("us-east-1")));
            assertThat(account.status()).as(account.text()).isEqualTo(201);

            // The role is not deployed: STS refuses, the account is broken.
            String failed = NotificationIntegrationTest.scan(api, "FAILED");
            JsonNode broken = JSON.readTree(receiver.await("/access", r -> r.size() == 1, WAIT).get(0).body());
            assertThat(broken.get("type").asString()).isEqualTo("account.access_broken");
            JsonNode data = broken.get("data");
            assertThat(data.get("broken").asBoolean()).isTrue();
            assertThat(data.get("errorCode").asString()).isEqualTo("ASSUME_ROLE_DENIED");
            assertThat(data.get("awsAccountId").asString()).isEqualTo(awsAccountId);
            assertThat(data.get("accountName").asString()).isEqualTo("payments");
            assertThat(data.get("regions").toString()).isEqualTo("[\"us-east-1\"]");
            assertThat(data.get("scanId").asString()).isEqualTo(failed);

            // Still broken: nothing new.
            NotificationIntegrationTest.scan(api, "FAILED");
            Thread.sleep(1_500);
            assertThat(receiver.requests("/access")).hasSize(1);

            // Fixed: told once; the findings digest is not this channel's business.
            TestSpokeSim.get().deployRole(awsAccountId, "UnusdSpokeRole", account.json().get("externalId").asString());
            String fixed = NotificationIntegrationTest.scan(api, "SUCCEEDED");
            JsonNode restored = JSON.readTree(receiver.await("/access", r -> r.size() == 2, WAIT).get(1).body());
            assertThat(restored.get("data").get("broken").asBoolean()).isFalse();
            assertThat(restored.get("data").get("scanId").asString()).isEqualTo(fixed);
            NotificationIntegrationTest.scan(api, "SUCCEEDED");
            Thread.sleep(1_500);
            assertThat(receiver.requests("/access")).hasSize(2);
            assertThat(NotificationIntegrationTest.deliveries(api, channel.get("id").asString()))
                    .extracting(d -> d.get("status").asString()).containsExactly("DELIVERED", "DELIVERED");
        }
    }
}
