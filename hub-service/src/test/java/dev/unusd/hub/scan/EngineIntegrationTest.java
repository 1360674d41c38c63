package dev.unusd.hub.scan;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;

/** Scans of simulated accounts: each test registers accounts of its own and reads the store as the admin. */
abstract class EngineIntegrationTest extends HubIntegrationTest {

    static final String ROLE = "UnusdSpokeRole";
    private static JdbcClient store;

    @Autowired
    KmsRegionScanner scanner;

    static SpokeSim sim() {
        return TestSpokeSim.get();
    }

    /** A simulated account (YAML body), registered for a new tenant with its spoke role deployed. */
    Target register(String accountYaml, String... regions) {
        Scenario.Account account = TestSpokeSim.addAccount(accountYaml);
        TenantHandle tenant = newTenant();
        return registerIn(tenant, account, true, regions);
    }

    Target registerIn(TenantHandle tenant, Scenario.Account account, boolean deployRole, String... regions) {
        ApiClient.Response created = tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", account.id(),
                "name", "sim " + account.id(), "regions", List.of(regions)));
        if (created.status() != 201) {
            throw new IllegalStateException("could not register account: " + created);
        }
        UUID id = UUID.fromString(created.json().get("id").asString());
        String externalId = created.json().get("externalId").asString();
        if (deployRole) {
            sim().deployRole(account.id(), ROLE, externalId);
        }
        return new Target(tenant, id, account.id(), externalId, account);
    }

    /** The spoke role less one of its template's actions, as a role deployed from an older template is. */
    static void withhold(Target target, String action) {
        withhold(target.awsAccountId(), action);
    }

    /** As above, for an AWS account of the simulator registered some other way (ScanFixture). */
    static void withhold(String awsAccountId, String action) {
        Set<String> actions = new HashSet<>(SpokeSim.templateActions());
        actions.remove(action);
        sim().setRoleActions(awsAccountId, ROLE, actions);
    }

    TargetResult scan(Target target, String region, UUID scanId) {
        return TenantContext.callAs(target.tenant().id(),
                () -> scanner.scan(new TargetRef(target.tenant().id(), scanId, target.accountId(), region)));
    }

    /** Stored keys of the target's region by AWS key id. */
    static Map<String, Map<String, Object>> keys(Target target, String region) {
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        store().sql("SELECT * FROM kms_keys WHERE account_id = ? AND region = ? ORDER BY key_id")
                .params(target.accountId(), region).query().listOfRows()
                .forEach(row -> keys.put((String) row.get("key_id"), row));
        return keys;
    }

    /** Stored findings of the target's region as "keyId TYPE" → row. */
    static Map<String, Map<String, Object>> findings(Target target, String region) {
        Map<String, Map<String, Object>> findings = new LinkedHashMap<>();
        store().sql("""
                SELECT f.*, k.key_id FROM findings f JOIN kms_keys k ON k.id = f.key_ref
                WHERE f.account_id = ? AND f.region = ? ORDER BY k.key_id, f.type""")
                .params(target.accountId(), region).query().listOfRows()
                .forEach(row -> findings.put(row.get("key_id") + " " + row.get("type"), row));
        return findings;
    }

    /** "keyId TYPE" → STATUS of the target region's findings. */
    static Map<String, String> findingStatuses(Target target, String region) {
        Map<String, String> statuses = new LinkedHashMap<>();
        findings(target, region).forEach((k, row) -> statuses.put(k, (String) row.get("status")));
        return statuses;
    }

    static List<String> events(UUID findingId) {
        return store().sql("SELECT status FROM finding_events WHERE finding_id = ? ORDER BY id")
                .param(findingId).query(String.class).list();
    }

    static synchronized JdbcClient store() {
        if (store == null) {
            try {
                store = JdbcClient.create(new SingleConnectionDataSource(TestDatabase.get().admin(), true));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return store;
    }

    record Target(TenantHandle tenant, UUID accountId, String awsAccountId, String externalId,
            Scenario.Account account) {
    }
}
