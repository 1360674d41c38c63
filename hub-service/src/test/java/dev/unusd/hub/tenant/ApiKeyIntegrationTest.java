package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

class ApiKeyIntegrationTest extends HubIntegrationTest {

    @Test
    void issuesListsAndRevokesKeys() {
        TenantHandle tenant = newTenant();

        ApiClient.Response created = tenant.api().post("/api/v1/api-keys", null);
        assertThat(created.status()).isEqualTo(201);
        String second = created.json().get("apiKey").asString();
        assertThat(second).matches("unusd_[A-Za-z0-9_-]{43}").isNotEqualTo(tenant.apiKey());
        String secondId = created.json().get("id").asString();

        ApiClient secondClient = tenant.api().as(second);
        assertThat(secondClient.get("/api/v1/settings").status()).isEqualTo(200);

        JsonNode list = tenant.api().get("/api/v1/api-keys").json();
        assertThat(list.get("items")).hasSize(2);
        assertThat(list.toString()).doesNotContain(second).doesNotContain(tenant.apiKey());
        JsonNode secondItem = find(list, secondId);
        assertThat(secondItem.get("prefix").asString()).isEqualTo(second.substring(0, 12));
        // lastUsedAt is tracked: the second key was just used once.
        assertThat(Instant.parse(secondItem.get("lastUsedAt").asString())).isAfter(Instant.now().minusSeconds(60));

        assertThat(tenant.api().delete("/api/v1/api-keys/" + secondId).status()).isEqualTo(204);
        ApiClient.Response revoked = secondClient.get("/api/v1/settings");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("detail").asString()).isEqualTo("Invalid or revoked API key");
        assertThat(tenant.api().get("/api/v1/api-keys").json().get("items")).hasSize(1);
        assertThat(tenant.api().delete("/api/v1/api-keys/" + secondId).status()).isEqualTo(404);
    }

    @Test
    void theLastKeyCannotBeRevoked() {
        TenantHandle tenant = newTenant();
        String onlyKey = tenant.api().get("/api/v1/api-keys").json().get("items").get(0).get("id").asString();

        ApiClient.Response refused = tenant.api().delete("/api/v1/api-keys/" + onlyKey);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(tenant.api().get("/api/v1/settings").status()).isEqualTo(200);
    }

    @Test
    void anotherTenantsKeyIsNotFound() {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        String aKey = a.api().post("/api/v1/api-keys", null).json().get("id").asString();

        assertThat(b.api().delete("/api/v1/api-keys/" + aKey).status()).isEqualTo(404);
        assertThat(a.api().get("/api/v1/api-keys").json().get("items")).hasSize(2);
        assertThat(b.api().get("/api/v1/api-keys").json().get("items")).hasSize(1);
    }

    @Test
    void malformedKeysAreUnauthorized() {
        assertThat(anonymous().get("/api/v1/settings").status()).isEqualTo(401);
        assertThat(admin().as("unusd_" + "A".repeat(43)).get("/api/v1/settings").status()).isEqualTo(401);
        assertThat(admin().as("not-a-key").get("/api/v1/settings").status()).isEqualTo(401);
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list.get("items")) {
            if (item.get("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no key " + id + " in " + list);
    }
}
