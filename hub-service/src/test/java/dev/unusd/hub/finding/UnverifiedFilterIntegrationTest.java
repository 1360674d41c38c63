package dev.unusd.hub.finding;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.Csv;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import tools.jackson.databind.JsonNode;

/**
 * unverified=true lists the findings of the marked accounts and account-regions, one branch each, and unverified=false
 * skips them: with every other filter, in every order and across cursors, both give exactly the findings of the
 * unfiltered list whose own mark says so; so does the CSV. Seven of ten keys are marked, each way a mark comes about:
 * a failed and a skipped region, a region out of the account's list with no coverage row, a disabled account, an
 * account an organisation deactivated, and an account disabled since its region's last scan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnverifiedFilterIntegrationTest extends HubIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final List<String> SORTS = List.of("-severity", "-firstSeenAt", "-monthlyCostUsd");
    private static final String EVERY_STATUS = "status=OPEN&status=SUPPRESSED&status=RESOLVED";

    private ApiClient api;
    private UUID beta;
    private final Map<String, UUID> keys = new LinkedHashMap<>();

    @BeforeAll
    void seed() {
        TenantHandle tenant = newTenant();
        api = tenant.api();
        try (Seed seed = new Seed(tenant.id())) {
            UUID organization = UUID.randomUUID();
            seed.insert("organizations", Map.of("id", organization, "tenant_id", tenant.id(),
                    "management_account_id", "999900001111", "name", "Acme", "organizational_units", List.of(),
                    "external_id", "unusd-" + UUID.randomUUID().toString().replace("-", ""),
                    "reader_role_name", "UnusdOrgReaderRole", "spoke_role_name", "UnusdSpokeRole",
                    "created_at", NOW));
            UUID alpha = seed.account("310000000001", "alpha");
            beta = seed.account("310000000002", "beta");
            UUID gamma = seed.account("310000000003", "gamma");
            UUID delta = seed.account("310000000004", "delta");
            UUID epsilon = seed.account("310000000005", "epsilon");
            String inOu = "update accounts set organization_id = ?, ou_path = 'o-ab12/r-ab12/ou-ab12-11111111/' where id = ?";
            seed.execute(inOu, organization, alpha);
            seed.execute(inOu, organization, delta);
            seed.execute("update accounts set enabled = false where id = ?", gamma);
            seed.execute("update accounts set enabled = false, status = 'DISABLED', deactivated_reason = 'SUSPENDED',"
                    + " deactivated_at = ? where id = ?", NOW, delta);
            seed.execute("update accounts set last_disabled_at = ? where id = ?", NOW.minus(Duration.ofHours(1)), epsilon);

            // Seed.account lists us-east-1 and eu-west-1; ap-south-1 is outside beta's list.
            List<Object[]> layout = List.of(new Object[] {"a1", alpha, "us-east-1"}, new Object[] {"a2", alpha, "eu-west-1"},
                    new Object[] {"b1", beta, "us-east-1"}, new Object[] {"b2", beta, "eu-west-1"},
                    new Object[] {"b3", beta, "ap-south-1"}, new Object[] {"g1", gamma, "us-east-1"},
                    new Object[] {"g2", gamma, "eu-west-1"}, new Object[] {"d1", delta, "us-east-1"},
                    new Object[] {"e1", epsilon, "us-east-1"}, new Object[] {"e2", epsilon, "eu-west-1"});
            for (int i = 0; i < layout.size(); i++) {
                Object[] k = layout.get(i);
                UUID key = seed.key((UUID) k[1], (String) k[2], (String) k[0],
                        Map.of("monthly_cost_usd", new BigDecimal(i % 4).add(new BigDecimal("0.25"))));
                keys.put((String) k[0], key);
                Instant seen = NOW.minus(Duration.ofHours(7L * i + 1));
                seed.finding(key, "KEY_UNUSED", "OPEN", Map.of("first_seen_at", seen));
                seed.finding(key, "ROTATION_DISABLED", "OPEN", Map.of("first_seen_at", seen.minus(Duration.ofDays(1))));
                seed.finding(key, "PENDING_DELETION_IN_USE", i % 2 == 0 ? "OPEN" : "SUPPRESSED",
                        Map.of("first_seen_at", seen.minus(Duration.ofDays(2))));
                seed.finding(key, "ROTATION_PERIOD_TOO_LONG", "RESOLVED", Map.of("first_seen_at", seen.minus(Duration.ofDays(3))));
            }
            String coverage = "insert into region_coverage (tenant_id, account_id, region, status, error_code, finished_at,"
                    + " last_succeeded_at) values (?, ?, ?, ?, ?, ?, ?)";
            Instant earlier = NOW.minus(Duration.ofHours(2));
            seed.execute(coverage, tenant.id(), alpha, "us-east-1", "SUCCEEDED", null, earlier, earlier);
            seed.execute(coverage, tenant.id(), alpha, "eu-west-1", "FAILED", "ACCESS_DENIED", NOW, earlier);
            seed.execute(coverage, tenant.id(), beta, "us-east-1", "SKIPPED", "REGION_NOT_ENABLED", NOW, earlier);
            seed.execute(coverage, tenant.id(), epsilon, "us-east-1", "SUCCEEDED", null, earlier, earlier);
            seed.execute(coverage, tenant.id(), epsilon, "eu-west-1", "SUCCEEDED", null, NOW, NOW);
        }
    }

    @Test
    void theMarkedKeysAreTheSevenOfTheSeed() {
        List<String> marked = walk(EVERY_STATUS, 100).stream().filter(f -> !f.get("unverified").isNull())
                .map(f -> f.get("keyId").asString()).distinct().sorted().toList();
        assertThat(marked).containsExactly("a2", "b1", "b3", "d1", "e1", "g1", "g2");
        // Open and marked: KEY_UNUSED and ROTATION_DISABLED of seven keys, PENDING_DELETION_IN_USE of b1, b3, g2, e1.
        assertThat(api.get("/api/v1/summary").json().get("findings").get("unverified").asLong()).isEqualTo(18);
        assertThat(walk("unverified=true", 100)).hasSize(18);
    }

    @Test
    void eachFilterAndOrderGivesTheFindingsWhoseMarkSaysSo() {
        List<String> filters = List.of("", EVERY_STATUS, "type=KEY_UNUSED&type=PENDING_DELETION_IN_USE",
                "status=OPEN&status=SUPPRESSED&type=PENDING_DELETION_IN_USE", "severity=HIGH", "accountId=" + beta,
                "awsAccountId=310000000005", "region=us-east-1", "region=ap-south-1", "accountId=" + beta
                        + "&region=eu-west-1", "ou=ou-ab12-11111111", "accountDeactivated=true",
                "accountDeactivated=false", "status=SUPPRESSED&accountDeactivated=false");
        int both = 0;
        for (String filter : filters) {
            for (String sort : SORTS) {
                String query = filter + "&sort=" + sort;
                List<JsonNode> plain = walk(query, 100);
                assertThat(ids(walk(query + "&unverified=true", 2))).as(query + "&unverified=true")
                        .containsExactlyElementsOf(ids(plain.stream().filter(f -> !f.get("unverified").isNull()).toList()));
                assertThat(ids(walk(query + "&unverified=false", 2))).as(query + "&unverified=false")
                        .containsExactlyElementsOf(ids(plain.stream().filter(f -> f.get("unverified").isNull()).toList()));
                both += plain.stream().map(f -> f.get("unverified").isNull()).distinct().count() == 2 ? 1 : 0;
            }
        }
        assertThat(both).as("filters whose list holds marked and verified findings, times the three orders").isEqualTo(33);
    }

    @Test
    void aFilterMeetingNoMarkedRegionListsNothingUnverifiedAndEverythingElse() {
        // alpha's us-east-1 is verified; so is all of epsilon's eu-west-1.
        String verifiedOnly = "awsAccountId=310000000001&region=us-east-1";
        assertThat(walk(verifiedOnly + "&unverified=true", 2)).isEmpty();
        assertThat(ids(walk(verifiedOnly + "&unverified=false", 2))).containsExactlyElementsOf(ids(walk(verifiedOnly, 100)))
                .hasSize(3);
    }

    @Test
    void theCsvHoldsTheSameFindings() {
        for (String filter : List.of("", EVERY_STATUS, "accountId=" + beta, "region=us-east-1&sort=-firstSeenAt",
                "ou=ou-ab12-11111111&sort=-monthlyCostUsd")) {
            for (String unverified : List.of("true", "false")) {
                String query = filter + "&unverified=" + unverified;
                ApiClient.Response csv = api.get("/api/v1/findings?" + query, Map.of("Accept", "text/csv"));
                assertThat(csv.status()).as(query).isEqualTo(200);
                List<List<String>> rows = Csv.rows(csv.text());
                assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList()).as(query)
                        .containsExactlyElementsOf(ids(walk(query, 100)));
                assertThat(rows.subList(1, rows.size())).as(query).allSatisfy(r -> assertThat(r.get(21).isEmpty())
                        .isEqualTo(unverified.equals("false")));
            }
        }
    }

    /** Every finding of the query, page after page of {@code limit}. */
    private List<JsonNode> walk(String query, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Response page = api.get("/api/v1/findings?limit=" + limit + "&" + query
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(query + " " + page).isEqualTo(200);
            page.json().get("items").valueStream().forEach(items::add);
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return items;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(f -> f.get("id").asString()).toList();
    }
}
