package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import tools.jackson.databind.JsonNode;

/** Mutes in the hub, on findings of real scans: at once, at every scan while active, reopened after. */
class SuppressionIntegrationTest extends HubIntegrationTest {

    @Test
    void eachScopeMutesItsFindingsAtOnceAndAtEveryScanWhileActive() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount account = register(tenant.api(), List.of("us-east-1"), 3);
        scan(tenant);
        // Three keys, each unused and not rotating: KEY_UNUSED and ROTATION_DISABLED each.
        List<JsonNode> open = findings(tenant, "OPEN");
        assertThat(open).hasSize(6);
        JsonNode first = open.stream().filter(f -> f.get("type").asString().equals("KEY_UNUSED")).findFirst().orElseThrow();

        ApiClient.Response one = tenant.api().post("/api/v1/suppressions", Map.of("scope", "FINDING",
                "findingId", first.get("id").asString(), "reason", "kept for the audit archive", "author", "alice"));
        assertThat(one.status()).isEqualTo(201);
        assertThat(one.json().get("suppressedFindings").asLong()).isEqualTo(1);
        assertThat(one.json().get("active").asBoolean()).isTrue();
        assertThat(status(tenant, first)).isEqualTo("SUPPRESSED");
        assertThat(openInSummary(tenant)).isEqualTo(5);

        ApiClient.Response key = tenant.api().post("/api/v1/suppressions", Map.of("scope", "KEY",
                "keyRef", first.get("keyRef").asString(), "reason", "owned by another team", "author", "bob"));
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().get("suppressedFindings").asLong()).as("both findings of the key").isEqualTo(2);
        assertThat(openInSummary(tenant)).isEqualTo(4);

        ApiClient.Response type = tenant.api().post("/api/v1/suppressions", Map.of("scope", "ACCOUNT_TYPE",
                "accountId", account.id(), "type", "ROTATION_DISABLED", "reason", "rotation is manual here",
                "author", "carol"));
        assertThat(type.status()).isEqualTo(201);
        assertThat(findings(tenant, "OPEN")).hasSize(2)
                .allSatisfy(f -> assertThat(f.get("type").asString()).isEqualTo("KEY_UNUSED"));

        scan(tenant);
        assertThat(findings(tenant, "OPEN")).as("a scan keeps them muted").hasSize(2);
        assertThat(findings(tenant, "SUPPRESSED")).hasSize(4);

        // Deleted: the next scan opens what only it muted (the key's ROTATION_DISABLED stays under the type's).
        assertThat(tenant.api().delete("/api/v1/suppressions/" + key.json().get("id").asString()).status())
                .isEqualTo(204);
        assertThat(findings(tenant, "SUPPRESSED")).as("nothing reopens between scans").hasSize(4);
        scan(tenant);
        assertThat(findings(tenant, "SUPPRESSED")).hasSize(4);
        assertThat(tenant.api().delete("/api/v1/suppressions/" + one.json().get("id").asString()).status())
                .isEqualTo(204);
        scan(tenant);
        assertThat(status(tenant, first)).isEqualTo("OPEN");
        assertThat(findings(tenant, "SUPPRESSED")).hasSize(3);
        assertThat(tenant.api().get("/api/v1/suppressions").json().get("items").size()).isEqualTo(1);
    }

    @Test
    void anExpiredSuppressionReopensItsFindingAtTheNextScan() throws InterruptedException {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        register(tenant.api(), List.of("us-east-1"), 1);
        scan(tenant);
        JsonNode finding = findings(tenant, "OPEN").get(0);
        Instant expiry = Instant.now().plusSeconds(2);

        ApiClient.Response muted = tenant.api().post("/api/v1/suppressions", Map.of("scope", "FINDING",
                "findingId", finding.get("id").asString(), "reason", "until the migration ends", "author", "dave",
                "expiresAt", expiry.toString()));
        assertThat(muted.status()).isEqualTo(201);
        scan(tenant);
        assertThat(status(tenant, finding)).isEqualTo("SUPPRESSED");

        Thread.sleep(Math.max(0, expiry.toEpochMilli() - System.currentTimeMillis()) + 200);
        assertThat(tenant.api().get("/api/v1/suppressions/" + muted.json().get("id").asString()).json()
                .get("active").asBoolean()).isFalse();
        assertThat(status(tenant, finding)).as("still as the last scan judged").isEqualTo("SUPPRESSED");
        scan(tenant);
        assertThat(status(tenant, finding)).isEqualTo("OPEN");
    }

    @Test
    void badSuppressionsAreRefusedAndAnotherTenantsFindingsAreUnknown() {
        TenantHandle tenant = newTenant();
        TenantHandle other = newTenant();
        disableSchedule(tenant.api());
        disableSchedule(other.api());
        register(other.api(), List.of("us-east-1"), 1);
        scan(other);
        JsonNode theirs = findings(other, "OPEN").get(0);
        Map<String, Object> valid = new HashMap<>(Map.of("scope", "KEY", "keyRef", theirs.get("keyRef").asString(),
                "reason", "r", "author", "a"));

        assertThat(tenant.api().post("/api/v1/suppressions", valid).status()).isEqualTo(404);
        assertThat(tenant.api().post("/api/v1/suppressions", Map.of("scope", "FINDING",
                "findingId", theirs.get("id").asString(), "reason", "r", "author", "a")).status()).isEqualTo(404);
        ApiClient.Response mixed = other.api().post("/api/v1/suppressions", with(valid, "type", "KEY_UNUSED"));
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.text()).contains("must not be given for scope KEY");
        assertThat(other.api().post("/api/v1/suppressions", with(valid, "reason", " ")).status()).isEqualTo(400);
        assertThat(other.api().post("/api/v1/suppressions", with(valid, "expiresAt", "2020-01-01T00:00:00Z"))
                .status()).isEqualTo(400);
        assertThat(other.api().post("/api/v1/suppressions", with(valid, "scope", "EVERYTHING")).status())
                .isEqualTo(400);
        assertThat(other.api().post("/api/v1/suppressions", Map.of("scope", "ACCOUNT_TYPE",
                "accountId", theirs.get("accountId").asString(), "reason", "r", "author", "a")).status())
                .as("ACCOUNT_TYPE needs a type").isEqualTo(400);
        assertThat(other.api().get("/api/v1/suppressions").json().get("items").size()).isZero();
        assertThat(findings(other, "OPEN")).hasSize(2);

        ApiClient.Response created = other.api().post("/api/v1/suppressions", valid);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(tenant.api().get("/api/v1/suppressions/" + id).status()).isEqualTo(404);
        assertThat(tenant.api().delete("/api/v1/suppressions/" + id).status()).isEqualTo(404);
        assertThat(tenant.api().get("/api/v1/suppressions").json().get("items").size()).isZero();
        assertThat(other.api().get("/api/v1/suppressions/" + id).status()).isEqualTo(200);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }

    private static void scan(TenantHandle tenant) {
        JsonNode scan = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    private static List<JsonNode> findings(TenantHandle tenant, String status) {
        return tenant.api().get("/api/v1/findings?limit=500&status=" + status).json().get("items").valueStream().toList();
    }

    private static String status(TenantHandle tenant, JsonNode finding) {
        return tenant.api().get("/api/v1/findings/" + finding.get("id").asString()).json().get("status").asString();
    }

    private static long openInSummary(TenantHandle tenant) {
        return tenant.api().get("/api/v1/summary").json().get("findings").get("open").asLong();
    }
}
