package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
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
    void theLocationOfANewKeyAnswersWithTheKeyForItsTenantOnly() {
        TenantHandle tenant = newTenant();
        ApiClient.Response created = tenant.api().post("/api/v1/api-keys", null);
        String id = created.json().get("id").asString();
        String secret = created.json().get("apiKey").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + id);

        ApiClient.Response key = tenant.api().get(created.header("Location"));
        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().get("id").asString()).isEqualTo(id);
        assertThat(key.json().get("prefix").asString()).isEqualTo(secret.substring(0, 12));
        assertThat(key.json().get("createdAt").asString()).isEqualTo(find(tenant.api().get("/api/v1/api-keys").json(), id)
                .get("createdAt").asString());
        assertThat(key.text()).doesNotContain(secret);

        assertThat(newTenant().api().get("/api/v1/api-keys/" + id).status()).isEqualTo(404);
        assertThat(tenant.api().get("/api/v1/api-keys/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(tenant.api().delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
        assertThat(tenant.api().get("/api/v1/api-keys/" + id).status()).as("revoked").isEqualTo(404);
    }

    /**
     * Two revocations of a tenant's only two keys, at once. The test holds both key rows locked until both requests
     * are waiting on them, so they overlap whatever the timing: without serialisation each counts two active keys,
     * each revokes its own, and the tenant is locked out.
     */
    @Test
    void concurrentRevocationsLeaveTheTenantAKey() throws Exception {
        TenantHandle tenant = newTenant();
        String first = tenant.api().get("/api/v1/api-keys").json().get("items").get(0).get("id").asString();
        ApiClient.Response created = tenant.api().post("/api/v1/api-keys", null);
        String second = created.json().get("id").asString();
        // Both requests present the first key, just used: authentication reads its row without writing it
        // (last_used_at is kept to the minute), so only the revocations meet the locks.

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection db = TestDatabase.get().admin()) {
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement(
                    "select id from api_keys where id in (?::uuid, ?::uuid) for update")) {
                lock.setString(1, first);
                lock.setString(2, second);
                lock.executeQuery().close();
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (String key : List.of(first, second)) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return tenant.api().delete("/api/v1/api-keys/" + key).status();
                }));
            }
            start.countDown();
            awaitBlockedBy(db, 2);
            db.commit();

            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(204, 409);
        } finally {
            threads.shutdownNow();
        }
        String secret = activeKey(tenant).equals(first) ? tenant.apiKey() : created.json().get("apiKey").asString();
        assertThat(tenant.api().as(secret).get("/api/v1/settings").status()).isEqualTo(200);
    }

    /**
     * Waits until {@code count} other sessions wait on the locks this connection holds, directly or queued behind one
     * that does (the second to ask for a row lock waits on the first).
     */
    private static void awaitBlockedBy(Connection db, int count) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (PreparedStatement blocked = db.prepareStatement("""
                with recursive blocked(pid) as (
                    select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))
                    union
                    select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
                )
                select count(*) from blocked""")) {
            while (true) {
                try (ResultSet rs = blocked.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the two revocations never both waited on the locked keys");
                }
                Thread.sleep(20);
            }
        }
    }

    private static String activeKey(TenantHandle tenant) throws SQLException {
        try (Connection db = TestDatabase.get().admin(); PreparedStatement active = db.prepareStatement(
                "select id::text from api_keys where tenant_id = ? and revoked_at is null")) {
            active.setObject(1, tenant.id());
            try (ResultSet rs = active.executeQuery()) {
                assertThat(rs.next()).as("the tenant has an active key").isTrue();
                String id = rs.getString(1);
                assertThat(rs.next()).as("only one").isFalse();
                return id;
            }
        }
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
