package dev.unusd.hub.summary;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario.KeyState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The summary's totals are brought forward by reading again only the accounts that changed since the version a hub
 * instance holds (SummaryQueries.refresh). After every kind of change to findings the hub makes, they must be the
 * figures a full read gives: scans that open and resolve findings, each scope of suppression, disabling, enabling
 * and removing an account.
 */
class SummaryTotalsIntegrationTest extends HubIntegrationTest {

    @Autowired
    private SummaryQueries queries;

    @Autowired
    private JsonMapper json;

    @Test
    void totalsBroughtForwardAccountByAccountEqualAFullReadAfterEveryChange() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount first = register(tenant.api(), List.of("us-east-1", "eu-west-1"), 2);
        SimAccount second = register(tenant.api(), List.of("us-east-1"), 3);
        SimAccount third = register(tenant.api(), List.of("us-east-1"), 2);
        assertSameAsFullRead(tenant, "before any scan");

        scan(tenant);
        JsonNode scanned = assertSameAsFullRead(tenant, "after the first scan");
        assertThat(scanned.get("findings").get("open").asLong()).as("findings to bring forward").isGreaterThan(0);

        JsonNode ofSecond = findingOf(tenant, second, "KEY_UNUSED");
        suppress(tenant, Map.of("scope", "FINDING", "findingId", ofSecond.get("id").asString()));
        assertSameAsFullRead(tenant, "after muting one finding");
        suppress(tenant, Map.of("scope", "KEY", "keyRef", findingOf(tenant, third, "KEY_UNUSED").get("keyRef").asString()));
        assertSameAsFullRead(tenant, "after muting a key");
        suppress(tenant, Map.of("scope", "ACCOUNT_TYPE", "accountId", first.id(), "type", "ROTATION_DISABLED"));
        assertSameAsFullRead(tenant, "after muting a type in an account");

        // The first account's key is used (its KEY_UNUSED resolves), one of the second's is scheduled for deletion.
        JsonNode unused = findingOf(tenant, first, "KEY_UNUSED");
        TestSpokeSim.get().useKey(first.awsAccountId(), unused.get("region").asString(), unused.get("keyId").asString(),
                "Decrypt");
        JsonNode doomed = findingOf(tenant, second, "ROTATION_DISABLED");
        TestSpokeSim.get().setKeyState(second.awsAccountId(), doomed.get("region").asString(),
                doomed.get("keyId").asString(), KeyState.PendingDeletion);
        scan(tenant);
        JsonNode rescanned = assertSameAsFullRead(tenant, "after a scan that changed two accounts");
        assertThat(rescanned.get("findings")).as("the rescan changed the figures").isNotEqualTo(scanned.get("findings"));

        assertThat(tenant.api().patch("/api/v1/accounts/" + third.id(), Map.of("enabled", false)).status())
                .isEqualTo(200);
        assertSameAsFullRead(tenant, "after disabling an account");
        assertThat(tenant.api().patch("/api/v1/accounts/" + third.id(), Map.of("enabled", true)).status())
                .isEqualTo(200);
        assertSameAsFullRead(tenant, "after enabling it again");
        assertThat(tenant.api().delete("/api/v1/accounts/" + second.id()).status()).isEqualTo(204);
        JsonNode removed = assertSameAsFullRead(tenant, "after removing an account");
        assertThat(removed.get("keys").get("total").asLong()).as("the removed account's keys are gone")
                .isLessThan(rescanned.get("keys").get("total").asLong());
    }

    @Test
    void aChangeThatRecordedNoAccountIsFoundByTheFullReadInTheBackground() throws InterruptedException {
        TenantHandle tenant = newTenant();
        UUID key;
        try (Seed seed = new Seed(tenant.id())) {
            key = seed.key(seed.account("246824682468", "backstop"), "us-east-1", "k1", Map.of());
            seed.finding(key, "KEY_UNUSED", "OPEN", Map.of());
        }
        // A cache of its own whose full reads are always due: each answer starts one in the background.
        SummaryCache cache = new SummaryCache(queries, Duration.ofMinutes(1), Duration.ZERO);
        assertThat(open(cache, tenant)).isEqualTo(1);

        try (Seed seed = new Seed(tenant.id())) {
            seed.executeUnversioned("update findings set status = 'RESOLVED' where key_ref = ?", key);
            seed.executeUnversioned("update tenants set findings_version = findings_version + 1 where id = ?",
                    tenant.id());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (open(cache, tenant) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(open(cache, tenant)).as("the change no account recorded, after a full read").isZero();
    }

    private static long open(SummaryCache cache, TenantHandle tenant) {
        return TenantContext.callAs(tenant.id(), () -> cache.current(OptionalLong.empty()).findings().open());
    }

    /**
     * The served summary (totals brought forward from the ones cached by the previous call) against a full read.
     * Account rows come from the listing, kept for max-age: compared by id where both have the account.
     */
    private JsonNode assertSameAsFullRead(TenantHandle tenant, String step) {
        // Both read from JSON text by the same reader, so numbers compare as the same kind of node.
        JsonNode served = json.readTree(tenant.api().get("/api/v1/summary").text());
        UUID id = tenant.id();
        JsonNode full = json.readTree(json.writeValueAsString(TenantContext.callAs(id,
                () -> SummaryQueries.combine(queries.totals(id), queries.listing(id), null))));
        for (String field : List.of("keys", "findings", "monthlyCostUsd", "potentialMonthlySavingsUsd")) {
            assertThat(served.get(field)).as(step + ": " + field).isEqualTo(full.get(field));
        }
        for (JsonNode account : full.get("accounts")) {
            served.get("accounts").valueStream()
                    .filter(a -> a.get("id").equals(account.get("id")))
                    .forEach(a -> assertThat(List.of(a.get("openFindings"), a.get("potentialMonthlySavingsUsd")))
                            .as(step + ": account " + account.get("awsAccountId"))
                            .isEqualTo(List.of(account.get("openFindings"), account.get("potentialMonthlySavingsUsd"))));
        }
        return served;
    }

    private static void scan(TenantHandle tenant) {
        JsonNode scan = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    private static JsonNode findingOf(TenantHandle tenant, SimAccount account, String type) {
        return tenant.api().get("/api/v1/findings?status=OPEN&limit=500&accountId=" + account.id() + "&type=" + type)
                .json().get("items").get(0);
    }

    private static void suppress(TenantHandle tenant, Map<String, Object> scope) {
        Map<String, Object> body = new java.util.HashMap<>(scope);
        body.put("reason", "checked by the summary test");
        body.put("author", "test");
        assertThat(tenant.api().post("/api/v1/suppressions", body).status()).isEqualTo(201);
    }
}
