package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

class TenantAdminIntegrationTest extends HubIntegrationTest {

    @Test
    void createsTenantWithFirstApiKeyShownOnce() {
        ApiClient.Response created = admin().post("/api/v1/tenants", Map.of("name", "  Acme Security  "));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("name").asString()).isEqualTo("Acme Security");
        assertThat(body.get("apiKey").asString()).matches("unusd_[A-Za-z0-9_-]{43}");
        assertThat(created.header("Location")).isEqualTo("/api/v1/tenants/" + body.get("id").asString());

        ApiClient tenant = admin().as(body.get("apiKey").asString());
        ApiClient.Response keys = tenant.get("/api/v1/api-keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.text()).doesNotContain(body.get("apiKey").asString());
        assertThat(keys.json().get("items")).hasSize(1);
    }

    @Test
    void theLocationOfANewTenantAnswersWithTheTenantForTheAdminOnly() {
        ApiClient.Response created = admin().post("/api/v1/tenants", Map.of("name", "Located"));
        String id = created.json().get("id").asString();
        ApiClient tenant = admin().as(created.json().get("apiKey").asString());
        tenant.post("/api/v1/accounts", Map.of("awsAccountId", "210987654329", "name", "prod"));

        ApiClient.Response located = admin().get(created.header("Location"));
        assertThat(located.status()).isEqualTo(200);
        JsonNode body = located.json();
        assertThat(body.get("id").asString()).isEqualTo(id);
        assertThat(body.get("name").asString()).isEqualTo("Located");
        assertThat(body.get("accounts").asLong()).isEqualTo(1);
        assertThat(body.get("createdAt").asString()).isNotBlank();
        assertThat(located.text()).doesNotContain("apiKey");

        ApiClient.Response unknown = admin().get("/api/v1/tenants/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(tenant.get("/api/v1/tenants/" + id).status()).isEqualTo(403);
    }

    @Test
    void listsTenantsWithAccountCountsAcrossPages() {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        a.api().post("/api/v1/accounts", Map.of("awsAccountId", "210987654321", "name", "prod"));
        a.api().post("/api/v1/accounts", Map.of("awsAccountId", "210987654322", "name", "dev"));

        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Response page = admin().get("/api/v1/tenants?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
            page.json().get("items").forEach(all::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asString();
        } while (cursor != null);

        assertThat(all.stream().filter(t -> t.get("id").asString().equals(a.id().toString())).findFirst().orElseThrow()
                .get("accounts").asLong()).isEqualTo(2);
        assertThat(all.stream().filter(t -> t.get("id").asString().equals(b.id().toString())).findFirst().orElseThrow()
                .get("accounts").asLong()).isZero();
        assertThat(all.stream().map(t -> t.get("id").asString()).distinct().count()).isEqualTo(all.size());
    }

    @Test
    void refusesBadNames() {
        ApiClient.Response blank = admin().post("/api/v1/tenants", Map.of("name", "   "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).startsWith("application/problem+json");
        assertThat(blank.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        ApiClient.Response missing = admin().post("/api/v1/tenants", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        ApiClient.Response extra = admin().post("/api/v1/tenants", Map.of("name", "x", "id", "abc"));
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().get("errors").get(0).get("field").asString()).isEqualTo("id");
        assertThat(extra.json().get("errors").get(0).get("message").asString()).isEqualTo("unknown field");
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        TenantHandle tenant = newTenant();

        ApiClient.Response none = anonymous().get("/api/v1/tenants");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");

        assertThat(admin().as("wrong-token").get("/api/v1/tenants").status()).isEqualTo(401);
        ApiClient.Response tenantKey = tenant.api().get("/api/v1/tenants");
        assertThat(tenantKey.status()).isEqualTo(403);
        assertThat(tenantKey.json().get("detail").asString()).isEqualTo("A tenant API key cannot use the admin API");

        ApiClient.Response adminOnTenant = admin().get("/api/v1/accounts");
        assertThat(adminOnTenant.status()).isEqualTo(403);
    }
}
