package dev.unusd.hub.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.aws.SpokeClients;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;

/**
 * One simulated region collected by a {@link KeyInventory} built with the settings a test chooses (the hub's own uses
 * the suite's), through real SDK clients against the simulator.
 */
abstract class RegionCollectionIntegrationTest extends HubIntegrationTest {

    /** AWS's maximum page sizes, as in production (the suite's are small). */
    static final KmsProperties.PageSizes PAGES = new KmsProperties.PageSizes(1000, 100, 50, 1000, 50, 100);

    @Autowired
    SpokeClients clients;
    @Autowired
    AccountApi accounts;

    /** A simulated account (YAML body) in us-east-1, registered for a new tenant with its spoke role deployed. */
    AccountRef register(String accountYaml) {
        Scenario.Account simulated = TestSpokeSim.addAccount(accountYaml);
        TenantHandle tenant = newTenant();
        ApiClient.Response created = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", simulated.id(),
                "name", "region " + simulated.id(), "regions", List.of("us-east-1")));
        assertThat(created.status()).isEqualTo(201);
        TestSpokeSim.get().deployRole(simulated.id(), "UnusdSpokeRole", created.json().get("externalId").asString());
        UUID id = UUID.fromString(created.json().get("id").asString());
        return TenantContext.callAs(tenant.id(), () -> accounts.require(id));
    }

    /** A first scan's collection of the account's us-east-1 (no stored usage), with a 90-day window. */
    RegionSnapshot collect(AccountRef account, KmsProperties properties) {
        KeyInventory inventory = new KeyInventory(new UsageResolver(properties), properties);
        UsagePolicy policy = new UsagePolicy(Instant.now(), 90, UsageMode.LAST_USAGE, Duration.ofDays(1));
        return inventory.collect(clients.connect(account, "us-east-1"), Map.of(), policy);
    }

    static Map<String, Usage> usageByKey(RegionSnapshot snapshot) {
        Map<String, Usage> usage = new TreeMap<>();
        snapshot.keys().forEach(key -> usage.put(key.keyId(), key.usage()));
        return usage;
    }
}
