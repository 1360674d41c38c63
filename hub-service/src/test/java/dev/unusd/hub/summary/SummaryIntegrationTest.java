package dev.unusd.hub.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
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
    void breaksFiguresDownByOuAndFiltersByOuWithItsChildren() {
        TenantHandle tenant = newTenant();
        String org = "o-abcd123456/";
        String root = "r-ab12";
        String workloads = "ou-ab12-11111111";
        String prod = "ou-ab12-22222222";
        String sandbox = "ou-ab12-33333333";
        UUID api;
        UUID tools;
        UUID play;
        UUID hand;
        UUID organization = UUID.randomUUID();
        try (Seed seed = new Seed(tenant.id())) {
            seed.insert("organizations", Map.of("id", organization, "tenant_id", tenant.id(),
                    "management_account_id", "999900001111", "name", "Acme", "organizational_units", List.of(),
                    "external_id", "unusd-" + UUID.randomUUID().toString().replace("-", ""),
                    "reader_role_name", "UnusdOrgReaderRole", "spoke_role_name", "UnusdSpokeRole",
                    "created_at", Instant.now()));
            for (List<String> unit : List.of(List.of(root, "Root", org + root + "/"),
                    List.of(workloads, "workloads", org + root + "/" + workloads + "/"),
                    List.of(prod, "prod", org + root + "/" + workloads + "/" + prod + "/"),
                    List.of(sandbox, "sandbox", org + root + "/" + sandbox + "/"))) {
                seed.execute("insert into organization_units (tenant_id, organization_id, id, name, path, last_seen_at)"
                        + " values (?, ?, ?, ?, ?, now())", tenant.id(), organization, unit.get(0), unit.get(1),
                        unit.get(2));
            }
            api = seed.account("210000000001", "api");
            tools = seed.account("210000000002", "tools");
            play = seed.account("210000000003", "play");
            hand = seed.account("210000000004", "hand");
            String place = "update accounts set organization_id = ?, ou_path = ? where id = ?";
            seed.execute(place, organization, org + root + "/" + workloads + "/" + prod + "/", api);
            seed.execute(place, organization, org + root + "/" + workloads + "/", tools);
            seed.execute(place, organization, org + root + "/" + sandbox + "/", play);

            UUID k1 = seed.key(api, "us-east-1", "k1", Map.of("monthly_cost_usd", new BigDecimal("3.00")));
            UUID k2 = seed.key(api, "us-east-1", "k2", Map.of("state", "PendingDeletion"));
            UUID k3 = seed.key(tools, "us-east-1", "k3", Map.of("monthly_cost_usd", new BigDecimal("2.00")));
            UUID k4 = seed.key(play, "us-east-1", "k4", Map.of());
            UUID k5 = seed.key(hand, "us-east-1", "k5", Map.of("monthly_cost_usd", new BigDecimal("5.00")));
            seed.finding(k1, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(k1, "ROTATION_PERIOD_TOO_LONG", "OPEN", Map.of());
            seed.finding(k2, "PENDING_DELETION_IN_USE", "OPEN", Map.of());
            seed.finding(k3, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(k4, "ROTATION_DISABLED", "SUPPRESSED", Map.of());
            seed.finding(k5, "KEY_UNUSED", "OPEN", Map.of());
            // Its rotations could not be counted: a cost no row may show as $0.
            seed.execute("update kms_keys set monthly_cost_usd = null where id = ?", k4);
        }

        JsonNode all = tenant.api().get("/api/v1/summary").json();
        assertThat(all.get("keys").get("total").asLong()).isEqualTo(5);
        assertThat(all.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("11.00");
        assertThat(all.get("keys").get("costUnknown").asLong()).isEqualTo(1);
        assertThat(all.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(all.get("findings").get("open").asLong()).isEqualTo(5);
        // One row per OU and root holding an account, by path, each summing its child OUs; "hand" is in no row.
        JsonNode units = all.get("organizationalUnits");
        assertThat(units).extracting(u -> u.get("id").asString()).containsExactly(root, workloads, prod, sandbox);
        assertUnit(units.get(0), "Root", org + root + "/", "Root", 3, 4, "6.00", "5.00", 4, 1, 2, 1);
        assertUnit(units.get(1), "workloads", org + root + "/" + workloads + "/", "Root/workloads", 2, 3, "6.00", "5.00",
                4, 1, 2, 1);
        assertUnit(units.get(2), "prod", org + root + "/" + workloads + "/" + prod + "/", "Root/workloads/prod", 1, 2,
                "4.00", "3.00", 3, 1, 1, 1);
        assertUnit(units.get(3), "sandbox", org + root + "/" + sandbox + "/", "Root/sandbox", 1, 1, "0", "0", 0, 0,
                0, 0);
        assertThat(units).extracting(u -> u.get("costUnknown").asLong()).containsExactly(1L, 0L, 0L, 1L);
        assertThat(units.get(2).get("organizationId").asString()).isEqualTo(organization.toString());

        // ou= narrows every figure to the OU's accounts, its child OUs' included, and the rows to the OU's subtree.
        JsonNode inWorkloads = tenant.api().get("/api/v1/summary?ou=" + workloads).json();
        assertThat(inWorkloads.get("keys").get("total").asLong()).isEqualTo(3);
        assertThat(counts(inWorkloads.get("keys").get("byState"))).isEqualTo(Map.of("Enabled", 2L, "PendingDeletion", 1L));
        assertThat(inWorkloads.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("6.00");
        assertThat(inWorkloads.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(inWorkloads.get("findings").get("open").asLong()).isEqualTo(4);
        assertThat(counts(inWorkloads.get("findings").get("byType"))).containsEntry("KEY_UNUSED", 2L)
                .containsEntry("ROTATION_DISABLED", 0L);
        assertThat(inWorkloads.get("findings").get("suppressed").asLong()).isZero();
        assertThat(inWorkloads.get("accounts")).extracting(a -> a.get("name").asString()).containsExactly("api", "tools");
        assertThat(inWorkloads.get("organizationalUnits")).extracting(u -> u.get("id").asString())
                .containsExactly(workloads, prod);

        JsonNode inRoot = tenant.api().get("/api/v1/summary?ou=" + root).json();
        assertThat(inRoot.get("keys").get("total").asLong()).isEqualTo(4);
        assertThat(inRoot.get("findings").get("suppressed").asLong()).isEqualTo(1);
        assertThat(inRoot.get("accounts")).extracting(a -> a.get("name").asString()).containsExactly("api", "play", "tools");

        JsonNode nowhere = tenant.api().get("/api/v1/summary?ou=ou-ab12-99999999").json();
        assertThat(nowhere.get("keys").get("total").asLong()).isZero();
        assertThat(nowhere.get("accounts")).isEmpty();
        assertThat(nowhere.get("organizationalUnits")).isEmpty();

        ApiClient.Response bad = tenant.api().get("/api/v1/summary?ou=prod");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");

        // Another tenant asking for these OUs sees none of it.
        ApiClient other = newTenant().api();
        JsonNode theirs = other.get("/api/v1/summary?ou=" + workloads).json();
        assertThat(theirs.get("keys").get("total").asLong()).isZero();
        assertThat(theirs.get("accounts")).isEmpty();
        assertThat(theirs.get("organizationalUnits")).isEmpty();
        assertThat(other.get("/api/v1/summary").json().get("organizationalUnits")).isEmpty();
    }

    private static void assertUnit(JsonNode row, String name, String path, String namePath, long accounts, long keys,
            String cost, String savings, long open, long high, long medium, long low) {
        assertThat(row.get("name").asString()).isEqualTo(name);
        assertThat(row.get("path").asString()).isEqualTo(path);
        assertThat(row.get("namePath").asString()).isEqualTo(namePath);
        assertThat(row.get("accounts").asLong()).isEqualTo(accounts);
        assertThat(row.get("keys").asLong()).isEqualTo(keys);
        assertThat(row.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo(cost);
        assertThat(row.get("potentialMonthlySavingsUsd").decimalValue()).isEqualByComparingTo(savings);
        assertThat(row.get("openFindings").asLong()).isEqualTo(open);
        assertThat(counts(row.get("openBySeverity"))).isEqualTo(Map.of("CRITICAL", 0L, "HIGH", high, "MEDIUM", medium,
                "LOW", low));
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
