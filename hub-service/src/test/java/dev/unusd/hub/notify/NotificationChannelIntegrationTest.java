package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The channels API: what it stores and shows, what it refuses, the test send, and one tenant never seeing another's. */
class NotificationChannelIntegrationTest extends HubIntegrationTest {

    private static final String BASE = "/api/v1/notification-channels";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aWebhookChannelShowsItsSecretOnceItsTargetMaskedAndItsTestIsSigned() throws Exception {
        try (Receiver receiver = new Receiver()) {
            ApiClient api = newTenant().api();
            String target = receiver.url("/hooks/abcdefgh-secret-token-1234");
            ApiClient.Response created = api.post(BASE, Map.of("type", "WEBHOOK", "name", " SIEM ", "target", target));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            JsonNode channel = created.json();
            String id = channel.get("id").asString();
            assertThat(created.header("Location")).isEqualTo(BASE + "/" + id);
            assertThat(channel.get("name").asString()).isEqualTo("SIEM");
            assertThat(channel.get("secret").asString()).startsWith("whsec_");
            assertThat(java.util.Base64.getDecoder().decode(channel.get("secret").asString().substring(6))).hasSize(32);
            assertThat(channel.get("target").asString())
                    .isEqualTo("http://127.0.0.1:" + target.split(":")[2].split("/")[0] + "/****1234");
            assertThat(channel.get("events").toString()).isEqualTo("[\"scan.findings_changed\"]");
            assertThat(channel.get("minSeverity").asString()).isEqualTo("LOW");
            assertThat(channel.get("accounts").isNull()).isTrue();
            assertThat(channel.get("enabled").asBoolean()).isTrue();

            JsonNode read = api.get(BASE + "/" + id).json();
            assertThat(read.has("secret")).as("shown once").isFalse();
            assertThat(read.get("target").asString()).isEqualTo(channel.get("target").asString());
            assertThat(api.get(BASE).json().get("items").size()).isEqualTo(1);

            ApiClient.Response tested = api.post(BASE + "/" + id + "/test", null);
            assertThat(tested.status()).as(tested.text()).isEqualTo(200);
            assertThat(tested.json().toString()).isEqualTo("{\"delivered\":true,\"statusCode\":200,\"error\":null}");
            Receiver.Request sample = receiver.await("/hooks/abcdefgh-secret-token-1234", r -> r.size() == 1,
                    Duration.ofSeconds(10)).get(0);
            assertThat(new StandardWebhooksVerifier(channel.get("secret").asString()).verify(sample.header("webhook-id"),
                    sample.header("webhook-timestamp"), sample.header("webhook-signature"), sample.body())).isTrue();
            JsonNode body = JSON.readTree(sample.body());
            assertThat(body.get("type").asString()).isEqualTo("notification.test");
            assertThat(body.get("data").get("channelId").asString()).isEqualTo(id);

            // A receiver that redirects is not followed: the answer says so and the other URL is never asked.
            receiver.answer("/hooks/abcdefgh-secret-token-1234",
                    new Receiver.Answer(302, Map.of("Location", receiver.url("/elsewhere"))));
            JsonNode redirected = api.post(BASE + "/" + id + "/test", null).json();
            assertThat(redirected.get("delivered").asBoolean()).isFalse();
            assertThat(redirected.get("statusCode").asInt()).isEqualTo(302);
            assertThat(redirected.get("error").asString()).contains("redirects are not followed");
            assertThat(receiver.requests("/elsewhere")).isEmpty();

            // PATCH: disable, narrow, retarget; the secret stays the channel's.
            ApiClient.Response patched = api.patch(BASE + "/" + id, Map.of("enabled", false, "minSeverity", "HIGH",
                    "target", receiver.url("/hooks/new-target-99999999")));
            assertThat(patched.status()).as(patched.text()).isEqualTo(200);
            assertThat(patched.json().get("enabled").asBoolean()).isFalse();
            assertThat(patched.json().get("minSeverity").asString()).isEqualTo("HIGH");
            assertThat(patched.json().get("target").asString()).endsWith("/****9999");
            assertThat(patched.json().has("secret")).isFalse();
            assertThat(api.get(BASE + "/" + id + "/deliveries").json().toString())
                    .isEqualTo("{\"items\":[],\"nextCursor\":null}");

            assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(204);
            assertThat(api.get(BASE + "/" + id).status()).isEqualTo(404);
            assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void badChannelsAreRefusedWithProblemDetailsAndNothingIsStored() {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        TenantHandle other = newTenant();
        String foreignAccount = registerAccount(other.api());

        String ok = "http://127.0.0.1:9/hook"; // acceptable here (private targets allowed): each case has one fault
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("type", Map.of("name", "x", "target", ok));
        bad.put("type ", Map.of("type", "SMS", "name", "x", "target", ok));
        bad.put("name", Map.of("type", "SLACK", "name", " ", "target", ok));
        bad.put("target", Map.of("type", "SLACK", "name", "x", "target", "ftp://127.0.0.1/hook"));
        bad.put("target ", Map.of("type", "SLACK", "name", "x", "target", "not a url"));
        bad.put("target  ", Map.of("type", "SLACK", "name", "x", "target", "http://user:pw@127.0.0.1/hook"));
        bad.put("target   ", Map.of("type", "SLACK", "name", "x", "target", "https://no-such-host.invalid/hook"));
        bad.put("target    ", Map.of("type", "WEBHOOK", "name", "x", "target", ok + "a".repeat(2100)));
        bad.put("target     ", Map.of("type", "EMAIL", "name", "x", "target", "not-an-address"));
        bad.put("target      ", Map.of("type", "EMAIL", "name", "x", "target", "a@example.com, a@example.com"));
        bad.put("events", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "events", List.of("scan.everything")));
        bad.put("events ", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "events", List.of("notification.test")));
        bad.put("events  ", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "events", List.of()));
        bad.put("minSeverity", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "minSeverity", "URGENT"));
        bad.put("accounts", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "accounts", List.of(foreignAccount)));
        bad.put("accounts ", Map.of("type", "WEBHOOK", "name", "x", "target", ok,
                "accounts", List.of(UUID.randomUUID().toString())));
        bad.put("secret", Map.of("type", "WEBHOOK", "name", "x", "target", ok, "secret", "whsec_mine"));
        for (Map.Entry<String, Map<String, Object>> c : bad.entrySet()) {
            ApiClient.Response refused = api.post(BASE, c.getValue());
            assertThat(refused.status()).as(c.getValue() + " -> " + refused.text()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.text()).as(c.getValue().toString()).contains("\"" + c.getKey().strip() + "\"");
        }
        assertThat(api.post(BASE, "{\"type\": \"SLACK\", ").status()).isEqualTo(400);
        assertThat(api.get(BASE).json().get("items").size()).isZero();

        String id = NotificationIntegrationTest.create(api, Map.of("type", "SLACK", "name", "ok",
                "target", "http://127.0.0.1:9/hook")).get("id").asString();
        ApiClient.Response typeChange = api.patch(BASE + "/" + id, Map.of("type", "EMAIL"));
        assertThat(typeChange.status()).as(typeChange.text()).isEqualTo(400);
        ApiClient.Response badTarget = api.patch(BASE + "/" + id, Map.of("target", "gopher://x"));
        assertThat(badTarget.status()).isEqualTo(400);
        assertThat(api.get(BASE + "/" + id).json().get("target").asString()).isEqualTo("http://127.0.0.1:9/****");
        assertThat(api.get(BASE + "/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsChannelsAreNotFoundWhateverItAsks() {
        ApiClient owner = newTenant().api();
        ApiClient stranger = newTenant().api();
        String id = NotificationIntegrationTest.create(owner, Map.of("type", "WEBHOOK", "name", "mine",
                "target", "http://127.0.0.1:9/hook")).get("id").asString();

        assertThat(stranger.get(BASE).json().get("items").size()).isZero();
        assertThat(stranger.get(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(stranger.patch(BASE + "/" + id, Map.of("enabled", false)).status()).isEqualTo(404);
        assertThat(stranger.post(BASE + "/" + id + "/test", null).status()).isEqualTo(404);
        assertThat(stranger.get(BASE + "/" + id + "/deliveries").status()).isEqualTo(404);
        assertThat(stranger.delete(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(anonymous().get(BASE).status()).isEqualTo(401);

        JsonNode still = owner.get(BASE + "/" + id).json();
        assertThat(still.get("enabled").asBoolean()).isTrue();
        assertThat(still.get("name").asString()).isEqualTo("mine");
    }

    private static String registerAccount(ApiClient api) {
        String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1"), 1);
        ApiClient.Response created = api.post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "other", "regions", List.of("us-east-1")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }
}
