package dev.unusd.hub.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import tools.jackson.databind.JsonNode;

class SummaryIntegrationTest extends HubIntegrationTest {

    private static final Instant SCANNED = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void addsUpKeysFindingsCostAndSavingsAsCountedByHand() {
        TenantHandle tenant = newTenant();
        UUID prod;
        UUID dev;
        UUID sandbox;
        try (Seed seed = new Seed(tenant.id())) {
            prod = seed.account("111122223333", "prod");
            dev = seed.account("444455556666", "dev");
            sandbox = seed.account("777788889999", "sandbox");
            seed.execute("update accounts set status = 'PENDING' where id = ?", sandbox);

            UUID a1 = seed.key(prod, "us-east-1", "a1", Map.of("monthly_cost_usd", new BigDecimal("3.00")));
            UUID a2 = seed.key(prod, "eu-west-1", "a2", Map.of("state", "Disabled"));
            seed.key(prod, "us-east-1", "a3", Map.of("manager", "AWS", "monthly_cost_usd", BigDecimal.ZERO));
            UUID a4 = seed.key(prod, "us-east-1", "a4", Map.of("monthly_cost_usd", new BigDecimal("2.00"),
                    "removed_at", Instant.now()));
            UUID b1 = seed.key(dev, "us-east-1", "b1", Map.of("state", "PendingDeletion", "monthly_cost_usd", BigDecimal.ZERO));
            UUID b2 = seed.key(dev, "eu-west-1", "b2", Map.of("monthly_cost_usd", new BigDecimal("2.00"), "exempt", true));
            UUID b3 = seed.key(dev, "us-east-1", "b3", Map.of());
            seed.execute("update kms_keys set state = null where id = ?", b3);

            seed.finding(a1, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(a1, "ROTATION_PERIOD_TOO_LONG", "OPEN", Map.of());
            seed.finding(a2, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(a4, "KEY_UNUSED", "RESOLVED", Map.of());
            seed.finding(b1, "PENDING_DELETION_IN_USE", "OPEN", Map.of());
            seed.finding(b2, "KEY_UNUSED", "SUPPRESSED", Map.of());
            seed.finding(b2, "ROTATION_DISABLED", "SUPPRESSED", Map.of());
            seed.finding(b3, "ROTATION_DISABLED", "OPEN", Map.of());
            seed.finding(b3, "KEY_UNUSED", "RESOLVED", Map.of());

            seed.scanTarget(prod, "us-east-1", "SUCCEEDED", SCANNED.minus(1, ChronoUnit.DAYS));
            seed.scanTarget(prod, "eu-west-1", "SUCCEEDED", SCANNED);
            seed.scanTarget(dev, "us-east-1", "FAILED", SCANNED.minus(2, ChronoUnit.HOURS));
        }

        ApiClient.Response response = tenant.api().get("/api/v1/summary");
        assertThat(response.status()).isEqualTo(200);
        JsonNode s = response.json();

        // Live keys a1 a2 a3 b1 b2 b3 (a4 is gone from AWS); a3 is AWS-managed; b3's state was denied.
        assertThat(s.get("keys").get("total").asLong()).isEqualTo(6);
        assertThat(s.get("keys").get("customerManaged").asLong()).isEqualTo(5);
        assertThat(counts(s.get("keys").get("byState")))
                .isEqualTo(Map.of("Enabled", 3L, "Disabled", 1L, "PendingDeletion", 1L, "Unknown", 1L));

        assertThat(s.get("findings").get("open").asLong()).isEqualTo(5);
        assertThat(counts(s.get("findings").get("byType"))).isEqualTo(Map.of("KEY_UNUSED", 2L, "ROTATION_DISABLED", 1L,
                "ROTATION_PERIOD_TOO_LONG", 1L, "PENDING_DELETION_IN_USE", 1L, "KEY_POLICY_PUBLIC", 0L,
                "KEY_CROSS_ACCOUNT_ACCESS", 0L));
        assertThat(counts(s.get("findings").get("bySeverity"))).isEqualTo(Map.of("CRITICAL", 0L, "HIGH", 1L, "MEDIUM", 3L,
                "LOW", 1L));
        assertThat(s.get("findings").get("suppressed").asLong()).isEqualTo(2);

        // 3.00 + 1.00 + 0 + 0 + 2.00 + 1.00; savings are a1 and a2, the keys with an OPEN KEY_UNUSED finding.
        assertThat(s.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("7.00");
        assertThat(s.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo("4.00");

        JsonNode accounts = s.get("accounts");
        assertThat(accounts).hasSize(3);
        assertAccount(accounts.get(0), dev, "444455556666", "dev", "CONNECTED", SCANNED.minus(2, ChronoUnit.HOURS), 2, "0");
        assertAccount(accounts.get(1), prod, "111122223333", "prod", "CONNECTED", SCANNED, 3, "4.00");
        assertAccount(accounts.get(2), sandbox, "777788889999", "sandbox", "PENDING", null, 0, "0");
    }

    @Test
    void newTenantHasAnEmptySummaryAndNoneOfAnotherTenantsFigures() {
        TenantHandle busy = newTenant();
        try (Seed seed = new Seed(busy.id())) {
            UUID account = seed.account("123412341234", "busy");
            seed.finding(seed.key(account, "us-east-1", "k", Map.of()), "KEY_UNUSED", "OPEN", Map.of());
        }
        JsonNode s = newTenant().api().get("/api/v1/summary").json();
        assertThat(s.get("keys").get("total").asLong()).isZero();
        assertThat(s.get("keys").get("customerManaged").asLong()).isZero();
        assertThat(s.get("keys").get("byState")).isEmpty();
        assertThat(s.get("findings").get("open").asLong()).isZero();
        assertThat(counts(s.get("findings").get("byType"))).containsOnlyKeys("KEY_UNUSED", "ROTATION_DISABLED",
                "ROTATION_PERIOD_TOO_LONG", "PENDING_DELETION_IN_USE", "KEY_POLICY_PUBLIC", "KEY_CROSS_ACCOUNT_ACCESS")
                .allSatisfy((k, v) -> assertThat(v).isZero());
        assertThat(s.get("findings").get("suppressed").asLong()).isZero();
        assertThat(s.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(s.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(s.get("accounts")).isEmpty();

        assertThat(busy.api().get("/api/v1/summary").json().get("findings").get("open").asLong()).isEqualTo(1);
    }

    @Test
    void keepsTotalsUntilTheFindingsVersionIsRaisedAndAccountRowsForMaxAge() throws InterruptedException {
        TenantHandle tenant = newTenant();
        UUID account;
        UUID key;
        try (Seed seed = new Seed(tenant.id())) {
            account = seed.account("135713571357", "before");
            key = seed.key(account, "us-east-1", "k1", Map.of());
            seed.finding(key, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(key, "ROTATION_DISABLED", "OPEN", Map.of());
        }
        assertThat(tenant.api().get("/api/v1/summary").json().get("findings").get("open").asLong()).isEqualTo(2);

        try (Seed seed = new Seed(tenant.id())) {
            seed.executeUnversioned("update findings set status = 'RESOLVED' where key_ref = ? and type = 'ROTATION_DISABLED'",
                    key);
            seed.executeUnversioned("update accounts set name = 'after' where id = ?", account);
        }
        JsonNode renamed = awaitAccountName(tenant, "after");
        assertThat(renamed.get("findings").get("open").asLong()).as("totals of the unchanged version").isEqualTo(2);
        assertThat(renamed.get("accounts").get(0).get("openFindings").asLong()).isEqualTo(2);

        try (Seed seed = new Seed(tenant.id())) {
            seed.execute("update tenants set findings_version = findings_version + 1 where id = ?", tenant.id());
        }
        JsonNode raised = tenant.api().get("/api/v1/summary").json();
        assertThat(raised.get("findings").get("open").asLong()).as("totals of the raised version").isEqualTo(1);
        assertThat(raised.get("accounts").get(0).get("openFindings").asLong()).isEqualTo(1);
    }

    /** The summary once its account rows, kept for max-age (2 s), show the account's new name. */
    private static JsonNode awaitAccountName(TenantHandle tenant, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode summary = tenant.api().get("/api/v1/summary").json();
            if (summary.get("accounts").get(0).get("name").asString().equals(name) || System.nanoTime() > deadline) {
                assertThat(summary.get("accounts").get(0).get("name").asString()).isEqualTo(name);
                return summary;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void answersConditionalGetsWithNotModified() {
        TenantHandle tenant = newTenant();
        ApiClient.Response first = tenant.api().get("/api/v1/summary");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        ApiClient.Response again = tenant.api().get("/api/v1/summary", Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.text()).isEmpty();
        assertThat(tenant.api().get("/api/v1/summary", Map.of("If-None-Match", "\"stale\"")).status()).isEqualTo(200);
    }

    private static void assertAccount(JsonNode row, UUID id, String awsAccountId, String name, String status,
            Instant lastScanAt, long open, String savings) {
        assertThat(row.get("id").asString()).isEqualTo(id.toString());
        assertThat(row.get("awsAccountId").asString()).isEqualTo(awsAccountId);
        assertThat(row.get("name").asString()).isEqualTo(name);
        assertThat(row.get("status").asString()).isEqualTo(status);
        if (lastScanAt == null) {
            assertThat(row.get("lastScanAt").isNull()).isTrue();
        } else {
            assertThat(Instant.parse(row.get("lastScanAt").asString())).isEqualTo(lastScanAt);
        }
        assertThat(row.get("openFindings").asLong()).isEqualTo(open);
        assertThat(row.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo(savings);
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> counts = new HashMap<>();
        object.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }
}
