package dev.unusd.hub.finding;

import static dev.unusd.hub.support.Problems.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
import dev.unusd.hub.support.TestDatabase;
import tools.jackson.databind.JsonNode;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FindingReadIntegrationTest extends HubIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private TenantHandle tenant;
    private UUID prod;
    private UUID dev;
    private UUID k1;
    private String f1, f2, f3, f4, f5, f6, f7;

    @BeforeAll
    void seed() {
        tenant = newTenant();
        try (Seed seed = new Seed(tenant.id())) {
            prod = seed.account("111122223333", "prod");
            dev = seed.account("444455556666", "dev");
            k1 = seed.key(prod, "us-east-1", "k1", Map.of("monthly_cost_usd", new BigDecimal("3.00")));
            UUID k2 = seed.key(prod, "eu-west-1", "k2", Map.of());
            UUID k3 = seed.key(dev, "us-east-1", "k3", Map.of("monthly_cost_usd", new BigDecimal("2.00")));
            UUID k4 = seed.key(dev, "eu-west-1", "k4", Map.of("monthly_cost_usd", new BigDecimal("0.00"),
                    "state", "PendingDeletion"));
            f1 = seed.finding(k1, "KEY_UNUSED", "OPEN", Map.of("first_seen_at", NOW.minus(Duration.ofDays(5)),
                    "last_seen_at", NOW, "evidence", Map.of("lastUsedAt", "never", "unusedDays", 90),
                    "remediation", List.of("aws kms disable-key --key-id k1", "aws kms schedule-key-deletion --key-id k1"),
                    "detail", "Not used in 90 days, \"really\",\nnot at all")).toString();
            f2 = seed.finding(k1, "ROTATION_DISABLED", "OPEN", Map.of("first_seen_at", NOW.minus(Duration.ofDays(1)),
                    "title", "=cmd|' /C calc'!A0")).toString();
            f3 = seed.finding(k2, "ROTATION_PERIOD_TOO_LONG", "OPEN", Map.of("first_seen_at", NOW.minus(Duration.ofDays(3)))).toString();
            f4 = seed.finding(k3, "KEY_UNUSED", "OPEN", Map.of("first_seen_at", NOW.minus(Duration.ofDays(2)))).toString();
            f5 = seed.finding(k4, "PENDING_DELETION_IN_USE", "OPEN", Map.of("first_seen_at", NOW.minus(Duration.ofDays(4)))).toString();
            f6 = seed.finding(k2, "KEY_UNUSED", "RESOLVED", Map.of()).toString();
            f7 = seed.finding(k3, "ROTATION_DISABLED", "SUPPRESSED", Map.of()).toString();
        }
    }

    @Test
    void defaultListIsOpenFindingsWorstFirstThenByIdDescending() {
        assertThat(ids(tenant.api().get("/api/v1/findings")))
                .containsExactly(concat(List.of(f5), idDescending(f1, f2, f4), List.of(f3)));
    }

    @Test
    void sortsByFirstSeenAndByMonthlyCost() {
        assertThat(ids(tenant.api().get("/api/v1/findings?sort=-firstSeenAt"))).containsExactly(f2, f4, f3, f5, f1);
        assertThat(ids(tenant.api().get("/api/v1/findings?sort=-monthlyCostUsd")))
                .containsExactly(concat(idDescending(f1, f2), List.of(f4, f3, f5)));
        assertThat(ids(tenant.api().get("/api/v1/findings?sort=-severity")))
                .containsExactly(concat(List.of(f5), idDescending(f1, f2, f4), List.of(f3)));
    }

    @Test
    void filtersByEachField() {
        assertThat(ids(tenant.api().get("/api/v1/findings?type=KEY_UNUSED"))).containsExactly(idDescending(f1, f4).toArray(String[]::new));
        assertThat(ids(tenant.api().get("/api/v1/findings?status=RESOLVED"))).containsExactly(f6);
        assertThat(ids(tenant.api().get("/api/v1/findings?status=SUPPRESSED"))).containsExactly(f7);
        assertThat(ids(tenant.api().get("/api/v1/findings?severity=LOW"))).containsExactly(f3);
        assertThat(ids(tenant.api().get("/api/v1/findings?severity=HIGH"))).containsExactly(f5);
        assertThat(ids(tenant.api().get("/api/v1/findings?accountId=" + dev))).containsExactly(f5, f4);
        assertThat(ids(tenant.api().get("/api/v1/findings?region=eu-west-1"))).containsExactly(f5, f3);
        assertThat(ids(tenant.api().get("/api/v1/findings?type=KEY_UNUSED&status=RESOLVED&accountId=" + prod
                + "&region=eu-west-1&severity=MEDIUM&sort=-firstSeenAt"))).containsExactly(f6);
        assertThat(ids(tenant.api().get("/api/v1/findings?type=KEY_UNUSED&accountId=" + dev + "&region=eu-west-1"))).isEmpty();
        assertThat(ids(tenant.api().get("/api/v1/findings?awsAccountId=444455556666"))).containsExactly(f5, f4);
        assertThat(ids(tenant.api().get("/api/v1/findings?awsAccountId=999999999999"))).isEmpty();
        assertThat(ids(tenant.api().get("/api/v1/findings?awsAccountId=111122223333&accountId=" + dev))).isEmpty();
    }

    @Test
    void repeatedEnumFiltersMeanAnyOfTheirValues() {
        assertThat(ids(tenant.api().get("/api/v1/findings?status=OPEN&status=SUPPRESSED")))
                .containsExactly(concat(List.of(f5), idDescending(f1, f2, f4, f7), List.of(f3)));
        assertThat(ids(tenant.api().get("/api/v1/findings?status=RESOLVED&status=SUPPRESSED&sort=-firstSeenAt")))
                .containsExactlyInAnyOrder(f6, f7);
        assertThat(ids(tenant.api().get("/api/v1/findings?type=KEY_UNUSED&type=PENDING_DELETION_IN_USE")))
                .containsExactly(concat(List.of(f5), idDescending(f1, f4)));
        assertThat(ids(tenant.api().get("/api/v1/findings?severity=LOW&severity=HIGH&sort=-monthlyCostUsd")))
                .containsExactly(f3, f5);
        // A comma-separated list is read the same way.
        assertThat(ids(tenant.api().get("/api/v1/findings?type=KEY_UNUSED,PENDING_DELETION_IN_USE")))
                .containsExactly(concat(List.of(f5), idDescending(f1, f4)));
        assertThat(ids(tenant.api().get("/api/v1/findings?status=OPEN&status=RESOLVED&status=SUPPRESSED&type=KEY_UNUSED"
                + "&type=ROTATION_DISABLED&awsAccountId=111122223333")))
                .containsExactly(idDescending(f1, f2, f6).toArray(String[]::new));
    }

    @Test
    void itemCarriesEveryContractField() {
        JsonNode f = tenant.api().get("/api/v1/findings?sort=-firstSeenAt").json().get("items").get(4);
        assertThat(f.get("id").asString()).isEqualTo(f1);
        assertThat(f.get("type").asString()).isEqualTo("KEY_UNUSED");
        assertThat(f.get("severity").asString()).isEqualTo("MEDIUM");
        assertThat(f.get("status").asString()).isEqualTo("OPEN");
        assertThat(f.get("keyRef").asString()).isEqualTo(k1.toString());
        assertThat(f.get("keyId").asString()).isEqualTo("k1");
        assertThat(f.get("keyArn").asString()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/k1");
        assertThat(f.get("accountId").asString()).isEqualTo(prod.toString());
        assertThat(f.get("awsAccountId").asString()).isEqualTo("111122223333");
        assertThat(f.get("accountName").asString()).isEqualTo("prod");
        assertThat(f.get("region").asString()).isEqualTo("us-east-1");
        assertThat(f.get("title").asString()).isEqualTo("KEY_UNUSED title");
        assertThat(f.get("detail").asString()).isEqualTo("Not used in 90 days, \"really\",\nnot at all");
        assertThat(f.get("evidence").get("unusedDays").asInt()).isEqualTo(90);
        assertThat(f.get("evidence").get("lastUsedAt").asString()).isEqualTo("never");
        assertThat(f.get("monthlyCostUsd").isNumber()).isTrue();
        assertThat(f.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("3.00");
        assertThat(f.get("remediation").get("cli").get(0).asString()).isEqualTo("aws kms disable-key --key-id k1");
        assertThat(f.get("remediation").get("cli").get(1).asString()).isEqualTo("aws kms schedule-key-deletion --key-id k1");
        assertThat(Instant.parse(f.get("firstSeenAt").asString())).isEqualTo(NOW.minus(Duration.ofDays(5)));
        assertThat(Instant.parse(f.get("lastSeenAt").asString())).isEqualTo(NOW);
        assertThat(f.get("resolvedAt").isNull()).isTrue();
    }

    @Test
    void pagesThroughEveryRowOnceInEachSort() {
        for (String sort : List.of("-severity", "-firstSeenAt", "-monthlyCostUsd")) {
            List<String> all = ids(tenant.api().get("/api/v1/findings?sort=" + sort));
            assertThat(walk(tenant.api(), "/api/v1/findings?sort=" + sort + "&limit=2")).as(sort).isEqualTo(all);
            String every = "/api/v1/findings?status=OPEN&status=RESOLVED&status=SUPPRESSED&sort=" + sort;
            List<String> everyStatus = ids(tenant.api().get(every));
            assertThat(everyStatus).as(sort).containsExactlyInAnyOrder(f1, f2, f3, f4, f5, f6, f7);
            assertThat(walk(tenant.api(), every + "&limit=2")).as(sort).isEqualTo(everyStatus);
        }
    }

    @Test
    void pagesStayCorrectWhileScansInsertAndResolveRows() {
        TenantHandle t = newTenant();
        List<String> stable = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (Seed seed = new Seed(t.id())) {
            UUID account = seed.account("210987654321", "moving");
            for (int i = 0; i < 12; i++) {
                UUID key = seed.key(account, "us-east-1", "key-" + i, Map.of());
                all.add(seed.finding(key, "KEY_UNUSED", "OPEN", Map.of()).toString());
            }
            List<String> order = idDescending(all.toArray(String[]::new));

            JsonNode first = t.api().get("/api/v1/findings?limit=4").json();
            List<String> seen = new ArrayList<>(ids(first));
            assertThat(seen).isEqualTo(order.subList(0, 4));

            // Between pages a scan resolves a row already shown and one not shown yet, and opens new findings that
            // sort before and after the cursor.
            seed.execute("update findings set status = 'RESOLVED', resolved_at = now() where id = ?::uuid", order.get(1));
            seed.execute("update findings set status = 'RESOLVED', resolved_at = now() where id = ?::uuid", order.get(6));
            UUID late = seed.key(account, "us-east-1", "late", Map.of());
            seed.finding(late, "KEY_UNUSED", "OPEN", Map.of("severity", "HIGH"));
            UUID lower = seed.key(account, "us-east-1", "lower", Map.of());
            String lowerFinding = seed.finding(lower, "ROTATION_PERIOD_TOO_LONG", "OPEN", Map.of()).toString();

            String cursor = first.get("nextCursor").asString();
            while (cursor != null) {
                JsonNode page = t.api().get("/api/v1/findings?limit=4&cursor=" + cursor).json();
                seen.addAll(ids(page));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            }
            for (String id : order) {
                if (!id.equals(order.get(1)) && !id.equals(order.get(6))) {
                    stable.add(id);
                }
            }
            assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
            assertThat(seen).containsAll(stable).contains(lowerFinding).doesNotContain(order.get(6));
            assertThat(seen.get(seen.size() - 1)).isEqualTo(lowerFinding);
        }
    }

    @Test
    void csvHasTheHeaderAndEveryRowOfTheFilterQuoted() {
        ApiClient.Response csv = tenant.api().get("/api/v1/findings?sort=-firstSeenAt", Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<List<String>> rows = Csv.rows(csv.text());
        assertThat(rows.get(0)).containsExactly("id", "type", "severity", "status", "keyRef", "keyId", "keyArn",
                "accountId", "awsAccountId", "accountName", "region", "title", "detail", "monthlyCostUsd", "firstSeenAt",
                "lastSeenAt", "resolvedAt", "evidence", "remediation", "accountDeactivatedReason", "accountDeactivatedAt",
                "unverifiedReason", "lastVerifiedAt");
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList()).containsExactly(f2, f4, f3, f5, f1);
        List<String> unused = rows.get(5);
        assertThat(unused.get(8)).isEqualTo("111122223333");
        assertThat(unused.get(9)).isEqualTo("prod");
        assertThat(unused.get(12)).isEqualTo("Not used in 90 days, \"really\",\nnot at all");
        assertThat(unused.get(13)).isEqualTo("3.00");
        assertThat(unused.get(16)).isEmpty();
        assertThat(unused.get(18)).isEqualTo("aws kms disable-key --key-id k1\naws kms schedule-key-deletion --key-id k1");
        assertThat(unused.subList(19, 21)).as("an account in use: no deactivation").containsExactly("", "");
        assertThat(unused.subList(21, 23)).as("a region in the account's scans: verified").containsExactly("", "");
        // A cell a spreadsheet would evaluate as a formula is defused.
        assertThat(rows.get(1).get(11)).isEqualTo("'=cmd|' /C calc'!A0");

        ApiClient.Response filtered = tenant.api().get("/api/v1/findings?status=SUPPRESSED", Map.of("Accept", "text/csv"));
        assertThat(Csv.rows(filtered.text())).hasSize(2);
        assertThat(Csv.rows(filtered.text()).get(1).get(0)).isEqualTo(f7);

        ApiClient.Response anyOf = tenant.api().get("/api/v1/findings?status=RESOLVED&status=SUPPRESSED&awsAccountId="
                + "444455556666&sort=-firstSeenAt", Map.of("Accept", "text/csv"));
        assertThat(Csv.rows(anyOf.text()).stream().skip(1).map(r -> r.get(0)).toList()).containsExactly(f7);
    }

    @Test
    void csvHasEveryRowOfALargeFilterInOrder() {
        TenantHandle t = newTenant();
        try (Seed seed = new Seed(t.id())) {
            UUID account = seed.account("310987654321", "bulk");
            seed.execute("""
                    insert into kms_keys (tenant_id, account_id, region, key_id, arn)
                    select ?, ?, 'us-east-1', 'bulk-' || g, 'arn:aws:kms:us-east-1:310987654321:key/bulk-' || g
                      from generate_series(1, 2500) g""", t.id(), account);
            seed.execute("""
                    insert into findings (tenant_id, key_ref, account_id, region, type, severity, severity_rank, status, title, detail)
                    select tenant_id, id, account_id, region, 'KEY_UNUSED', 'MEDIUM', 2, 'OPEN', 'unused', 'unused'
                      from kms_keys where account_id = ?""", account);
        }
        ApiClient.Response csv = t.api().get("/api/v1/findings", Map.of("Accept", "text/csv"));
        List<List<String>> rows = Csv.rows(csv.text());
        assertThat(rows).hasSize(2501);
        assertThat(rows.stream().skip(1).map(r -> r.get(0)).distinct().count()).isEqualTo(2500);
        assertThat(rows.stream().skip(1).map(r -> r.get(0)).toList())
                .isSortedAccordingTo(Comparator.<String>reverseOrder());
    }

    @Test
    void jsonIsTheDefaultRepresentation() {
        assertThat(tenant.api().get("/api/v1/findings", Map.of("Accept", "*/*")).contentType()).startsWith("application/json");
        assertThat(tenant.api().get("/api/v1/findings", Map.of("Accept", "application/json")).contentType()).startsWith("application/json");
    }

    @Test
    void refusesBadInputWithFieldErrors() {
        ApiClient api = tenant.api();
        assertBadRequest(api.get("/api/v1/findings?cursor=abc"), "cursor");
        assertBadRequest(api.get("/api/v1/findings?cursor=eyJ4Ijo.AAAA"), "cursor");
        for (String limit : List.of("0", "501", "-1", "abc")) {
            assertBadRequest(api.get("/api/v1/findings?limit=" + limit), "limit");
        }
        assertBadRequest(api.get("/api/v1/findings?type=KEY_FORGOTTEN"), "type");
        assertBadRequest(api.get("/api/v1/findings?status=open"), "status");
        assertBadRequest(api.get("/api/v1/findings?severity=URGENT"), "severity");
        assertBadRequest(api.get("/api/v1/findings?sort=severity"), "sort");
        assertBadRequest(api.get("/api/v1/findings?accountId=not-a-uuid"), "accountId");
        assertBadRequest(api.get("/api/v1/findings?region=mars-north-1"), "region");
        assertBadRequest(api.get("/api/v1/findings?type=BOGUS", Map.of("Accept", "text/csv")), "type");
        assertBadRequest(api.get("/api/v1/findings/not-a-uuid"), "id");
        assertBadRequest(api.get("/api/v1/findings?awsAccountId=12345"), "awsAccountId");
        ApiClient.Response badOne = api.get("/api/v1/findings?type=KEY_UNUSED&type=KEY_FORGOTTEN");
        assertBadRequest(badOne, "type");
        assertThat(badOne.json().get("errors").get(0).get("message").asString()).isEqualTo("must be one of"
                + " [KEY_UNUSED, ROTATION_DISABLED, ROTATION_PERIOD_TOO_LONG, PENDING_DELETION_IN_USE, KEY_POLICY_PUBLIC,"
                + " KEY_CROSS_ACCOUNT_ACCESS]");

        // A cursor is bound to its tenant, filter and sort.
        String cursor = api.get("/api/v1/findings?limit=1").json().get("nextCursor").asString();
        assertThat(api.get("/api/v1/findings?limit=1&cursor=" + cursor).status()).isEqualTo(200);
        assertBadRequest(api.get("/api/v1/findings?limit=1&sort=-firstSeenAt&cursor=" + cursor), "cursor");
        assertBadRequest(api.get("/api/v1/findings?limit=1&type=KEY_UNUSED&cursor=" + cursor), "cursor");
        // ... also when the filter has several values: their order does not matter, their set does.
        String anyOf = api.get("/api/v1/findings?limit=1&status=OPEN&status=SUPPRESSED").json().get("nextCursor")
                .asString();
        assertThat(api.get("/api/v1/findings?limit=1&status=SUPPRESSED&status=OPEN&cursor=" + anyOf).status())
                .isEqualTo(200);
        assertBadRequest(api.get("/api/v1/findings?limit=1&status=OPEN&cursor=" + anyOf), "cursor");
        assertBadRequest(api.get("/api/v1/findings?limit=1&status=OPEN&status=RESOLVED&cursor=" + anyOf), "cursor");
        assertBadRequest(newTenant().api().get("/api/v1/findings?limit=1&cursor=" + cursor), "cursor");
        String tampered = cursor.charAt(0) == 'A' ? "B" + cursor.substring(1) : "A" + cursor.substring(1);
        assertBadRequest(api.get("/api/v1/findings?limit=1&cursor=" + tampered), "cursor");
    }

    @Test
    void anotherTenantSeesNoneOfTheseFindings() {
        TenantHandle other = newTenant();
        for (String status : List.of("OPEN", "RESOLVED", "SUPPRESSED")) {
            assertThat(ids(other.api().get("/api/v1/findings?status=" + status))).isEmpty();
        }
        assertThat(Csv.rows(other.api().get("/api/v1/findings", Map.of("Accept", "text/csv")).text())).hasSize(1);
        assertThat(other.api().get("/api/v1/findings/" + f1).status()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/findings?accountId=" + prod).json().get("items")).isEmpty();
        assertThat(tenant.api().get("/api/v1/findings/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void singleFindingAnswersConditionalGets() {
        ApiClient.Response one = tenant.api().get("/api/v1/findings/" + f3);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("type").asString()).isEqualTo("ROTATION_PERIOD_TOO_LONG");
        String etag = one.header("ETag");
        assertThat(etag).isNotBlank();
        ApiClient.Response again = tenant.api().get("/api/v1/findings/" + f3, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.text()).isEmpty();
    }

    @Test
    void listItemsReadExactlyLikeTheSingleFinding() {
        TenantHandle t = newTenant();
        Instant whole = Instant.parse("2026-01-02T03:04:05Z");
        try (Seed seed = new Seed(t.id())) {
            UUID account = seed.account("123412341234", "odd \"names\" \\ and ünïcödé\t");
            UUID key = seed.key(account, "ap-southeast-2", "k\"1", Map.of());
            UUID other = seed.key(account, "ap-southeast-2", "k2", Map.of("monthly_cost_usd", new BigDecimal("12.50")));
            // Instants with no fraction, milliseconds and microseconds: ISO_INSTANT prints each differently.
            seed.finding(key, "KEY_UNUSED", "OPEN", Map.of("first_seen_at", whole, "last_seen_at",
                    whole.plusMillis(120), "title", "<b>\u2028</b> \\ \"x\"", "detail", "line\nbreak\u0001",
                    "evidence", Map.of("nested", Map.of("a", List.of(1, 2.5, true)), "s", "\"q\""),
                    "remediation", List.of("aws kms disable-key --key-id 'k\"1'")));
            seed.finding(key, "ROTATION_DISABLED", "RESOLVED", Map.of("first_seen_at", whole.plusNanos(1_000),
                    "resolved_at", whole.plusNanos(123_456_000)));
            seed.finding(other, "PENDING_DELETION_IN_USE", "SUPPRESSED", Map.of());
        }
        int compared = 0;
        for (String status : List.of("OPEN", "RESOLVED", "SUPPRESSED")) {
            for (JsonNode item : t.api().get("/api/v1/findings?status=" + status).json().get("items")) {
                JsonNode single = t.api().get("/api/v1/findings/" + item.get("id").asString()).json();
                assertThat(item).as(status).isEqualTo(single);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(3);
    }

    @Test
    void aCachedPageIsServedOnlyWhileTheFindingsVersionHolds() throws Exception {
        TenantHandle t = newTenant();
        String finding;
        try (Seed seed = new Seed(t.id())) {
            UUID account = seed.account("567856785678", "cached");
            finding = seed.finding(seed.key(account, "us-east-1", "k", Map.of()), "KEY_UNUSED", "OPEN", Map.of())
                    .toString();
        }
        String path = "/api/v1/findings?limit=10";
        assertThat(ids(t.api().get(path))).containsExactly(finding);

        // A change the hub was not told about (no version raise) is not seen: the page comes from the cache ...
        try (var admin = TestDatabase.get().admin();
                var update = admin.prepareStatement("update findings set status = 'RESOLVED' where id = ?::uuid")) {
            update.setString(1, finding);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThat(ids(t.api().get(path))).containsExactly(finding);
        assertThat(ids(t.api().get(path + "&status=RESOLVED"))).containsExactly(finding);

        // ... until the version moves, as it does after every reconciled target and removed account.
        try (Seed seed = new Seed(t.id())) {
            seed.execute("update tenants set findings_version = findings_version + 1 where id = ?", t.id());
        }
        assertThat(ids(t.api().get(path))).isEmpty();
    }

    @Test
    void aPageReadAfterAnAccountIsRenamedHasTheNewName() {
        TenantHandle t = newTenant();
        UUID account;
        String finding;
        try (Seed seed = new Seed(t.id())) {
            account = seed.account("567856785679", "before");
            finding = seed.finding(seed.key(account, "us-east-1", "k", Map.of()), "KEY_UNUSED", "OPEN", Map.of())
                    .toString();
        }
        String path = "/api/v1/findings?limit=10";
        assertThat(accountNames(t.api().get(path))).containsExactly("before");

        ApiClient.Response renamed = t.api().patch("/api/v1/accounts/" + account, Map.of("name", "after"));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);

        assertThat(t.api().get("/api/v1/findings/" + finding).json().get("accountName").asString()).isEqualTo("after");
        assertThat(accountNames(t.api().get(path))).containsExactly("after");
    }

    private static List<String> accountNames(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().get("items").forEach(i -> names.add(i.get("accountName").asString()));
        return names;
    }

    static List<String> ids(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return ids(response.json());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asString()));
        return ids;
    }

    static List<String> walk(ApiClient api, String path) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get(path + (cursor == null ? "" : "&cursor=" + cursor)).json();
            all.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return all;
    }

    /** Postgres orders uuids bytewise, as their lower-case hex text does. */
    static List<String> idDescending(String... ids) {
        return java.util.Arrays.stream(ids).sorted(Comparator.reverseOrder()).toList();
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(String[]::new);
    }
}
