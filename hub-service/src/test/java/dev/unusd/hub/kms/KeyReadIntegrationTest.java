package dev.unusd.hub.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import tools.jackson.databind.JsonNode;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyReadIntegrationTest extends HubIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private TenantHandle tenant;
    private UUID prod;
    private UUID dev;
    private String rotating, unused, denied, managed, pending, removed;
    private String unusedFinding;

    @BeforeAll
    void seed() {
        tenant = newTenant();
        try (Seed seed = new Seed(tenant.id())) {
            prod = seed.account("111122223333", "prod");
            dev = seed.account("444455556666", "dev");
            rotating = seed.key(prod, "us-east-1", "1234abcd-0000-0000-0000-000000000001", Map.ofEntries(
                    Map.entry("aliases", List.of("alias/payments", "alias/Billing_Main")),
                    Map.entry("multi_region", true),
                    Map.entry("aws_created_at", NOW.minus(400, ChronoUnit.DAYS)),
                    Map.entry("rotation_enabled", true), Map.entry("rotation_period_days", 365),
                    Map.entry("next_rotation_at", NOW.plus(30, ChronoUnit.DAYS)), Map.entry("rotations", 2),
                    Map.entry("last_used_at", NOW.minus(1, ChronoUnit.DAYS)), Map.entry("last_used_operation", "Decrypt"),
                    Map.entry("last_used_source", "CLOUDTRAIL"), Map.entry("last_used_event_id", "ev-1"),
                    Map.entry("tags", Map.of("team", "payments", "unusd", "true")), Map.entry("exempt", true),
                    Map.entry("monthly_cost_usd", new BigDecimal("3.00")),
                    Map.entry("first_seen_at", NOW.minus(10, ChronoUnit.DAYS)), Map.entry("last_seen_at", NOW))).toString();
            unused = seed.key(prod, "eu-west-1", "unused-key", Map.of("usage_status", "UNUSED",
                    "aliases", List.of("alias/old_50%_off"))).toString();
            denied = seed.key(dev, "us-east-1", "denied-key", Map.of("usage_status", "UNKNOWN", "state", "Disabled")).toString();
            managed = seed.key(dev, "eu-west-1", "aws-managed", Map.of("manager", "AWS", "aliases", List.of("alias/aws/s3"),
                    "monthly_cost_usd", BigDecimal.ZERO)).toString();
            pending = seed.key(dev, "eu-west-1", "pending-key", Map.of("state", "PendingDeletion")).toString();
            removed = seed.key(prod, "us-east-1", "removed-key", Map.of("removed_at", NOW)).toString();
            unusedFinding = seed.finding(UUID.fromString(unused), "KEY_UNUSED", "OPEN", Map.of()).toString();
            seed.finding(UUID.fromString(unused), "ROTATION_DISABLED", "RESOLVED", Map.of());
            seed.finding(UUID.fromString(denied), "ROTATION_DISABLED", "SUPPRESSED", Map.of());
        }
    }

    @Test
    void listsLiveKeysByIdAndLeavesRemovedOnesOut() {
        assertThat(ids("")).containsExactly(sorted(rotating, unused, denied, managed, pending));
    }

    @Test
    void filtersByEachField() {
        assertThat(ids("accountId=" + prod)).containsExactly(sorted(rotating, unused));
        assertThat(ids("region=eu-west-1")).containsExactly(sorted(unused, managed, pending));
        assertThat(ids("state=PendingDeletion")).containsExactly(pending);
        assertThat(ids("state=Disabled")).containsExactly(denied);
        assertThat(ids("usageStatus=UNUSED")).containsExactly(unused);
        assertThat(ids("usageStatus=UNKNOWN")).containsExactly(denied);
        assertThat(ids("hasOpenFindings=true")).containsExactly(unused);
        assertThat(ids("hasOpenFindings=false")).containsExactly(sorted(rotating, denied, managed, pending));
        assertThat(ids("arn=arn:aws:kms:eu-west-1:111122223333:key/unused-key")).containsExactly(unused);
        assertThat(ids("arn=arn:aws:kms:eu-west-1:111122223333:key/unused")).isEmpty();
        assertThat(ids("arn=arn:aws:kms:us-east-1:111122223333:key/removed-key")).isEmpty();
        assertThat(ids("accountId=" + dev + "&region=eu-west-1&state=Enabled")).containsExactly(managed);
        assertThat(ids("awsAccountId=444455556666")).containsExactly(sorted(denied, managed, pending));
        assertThat(ids("awsAccountId=999999999999")).isEmpty();
    }

    @Test
    void repeatedEnumFiltersMeanAnyOfTheirValues() {
        assertThat(ids("state=PendingDeletion&state=Disabled")).containsExactly(sorted(denied, pending));
        assertThat(ids("usageStatus=UNUSED&usageStatus=UNKNOWN")).containsExactly(sorted(unused, denied));
        assertThat(ids("state=Enabled&state=Disabled&usageStatus=UNKNOWN&usageStatus=USED"))
                .containsExactly(sorted(rotating, denied, managed));
        assertThat(ids("state=PendingDeletion,Disabled")).containsExactly(sorted(denied, pending));
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = tenant.api().get("/api/v1/keys?limit=1&state=Enabled&state=Disabled"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(i -> walked.add(i.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(walked).containsExactly(sorted(rotating, unused, denied, managed));
    }

    @Test
    void searchesAliasesAndArnsCaseInsensitively() {
        assertThat(ids("q=billing_main")).containsExactly(rotating);
        assertThat(ids("q=PAYMENTS")).containsExactly(rotating);
        assertThat(ids("q=alias/aws/")).containsExactly(managed);
        assertThat(ids("q=444455556666")).containsExactly(sorted(denied, managed, pending));
        assertThat(ids("q=denied-k")).containsExactly(denied);
        // LIKE wildcards in q are literal characters.
        assertThat(ids("q=50%25_off")).containsExactly(unused);
        assertThat(ids("q=%25")).containsExactly(unused);
        assertThat(ids("q=_")).containsExactly(sorted(rotating, unused));
        assertThat(ids("q=removed-key")).isEmpty();
        assertThat(ids("q=payments&region=eu-west-1")).isEmpty();
    }

    @Test
    void itemMapsTheInventoryColumns() {
        JsonNode k = tenant.api().get("/api/v1/keys?q=payments").json().get("items").get(0);
        assertThat(k.get("id").asString()).isEqualTo(rotating);
        assertThat(k.get("arn").asString()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/1234abcd-0000-0000-0000-000000000001");
        assertThat(k.get("keyId").asString()).isEqualTo("1234abcd-0000-0000-0000-000000000001");
        assertThat(k.get("accountId").asString()).isEqualTo(prod.toString());
        assertThat(k.get("awsAccountId").asString()).isEqualTo("111122223333");
        assertThat(k.get("accountName").asString()).isEqualTo("prod");
        assertThat(k.get("region").asString()).isEqualTo("us-east-1");
        assertThat(k.get("aliases").get(0).asString()).isEqualTo("alias/payments");
        assertThat(k.get("aliases").get(1).asString()).isEqualTo("alias/Billing_Main");
        assertThat(k.get("state").asString()).isEqualTo("Enabled");
        assertThat(k.get("spec").asString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(k.get("usage").asString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(k.get("origin").asString()).isEqualTo("AWS_KMS");
        assertThat(k.get("manager").asString()).isEqualTo("CUSTOMER");
        assertThat(k.get("multiRegion").asBoolean()).isTrue();
        assertThat(Instant.parse(k.get("createdAt").asString())).isEqualTo(NOW.minus(400, ChronoUnit.DAYS));
        assertThat(k.get("rotation").get("enabled").asBoolean()).isTrue();
        assertThat(k.get("rotation").get("periodDays").asInt()).isEqualTo(365);
        assertThat(Instant.parse(k.get("rotation").get("nextRotationAt").asString())).isEqualTo(NOW.plus(30, ChronoUnit.DAYS));
        assertThat(k.get("rotation").get("rotations").asInt()).isEqualTo(2);
        assertThat(Instant.parse(k.get("lastUsed").get("at").asString())).isEqualTo(NOW.minus(1, ChronoUnit.DAYS));
        assertThat(k.get("lastUsed").get("operation").asString()).isEqualTo("Decrypt");
        assertThat(k.get("lastUsed").get("source").asString()).isEqualTo("CLOUDTRAIL");
        assertThat(k.get("lastUsed").get("cloudTrailEventId").asString()).isEqualTo("ev-1");
        assertThat(k.get("usageStatus").asString()).isEqualTo("USED");
        assertThat(k.get("tags").isObject()).isTrue();
        assertThat(k.get("tags").get("team").asString()).isEqualTo("payments");
        assertThat(k.get("tags").get("unusd").asString()).isEqualTo("true");
        assertThat(k.get("exempt").asBoolean()).isTrue();
        assertThat(k.get("monthlyCostUsd").isNumber()).isTrue();
        assertThat(k.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("3.00");
        assertThat(Instant.parse(k.get("firstSeenAt").asString())).isEqualTo(NOW.minus(10, ChronoUnit.DAYS));
        assertThat(Instant.parse(k.get("lastSeenAt").asString())).isEqualTo(NOW);

        JsonNode plain = tenant.api().get("/api/v1/keys?usageStatus=UNKNOWN").json().get("items").get(0);
        assertThat(plain.get("rotation").isNull()).isTrue();
        assertThat(plain.get("lastUsed").isNull()).isTrue();
        assertThat(plain.get("createdAt").isNull()).isTrue();
        assertThat(plain.get("tags").isObject()).isTrue();
        assertThat(plain.get("tags").size()).isZero();
        assertThat(plain.get("exempt").asBoolean()).isFalse();
    }

    @Test
    void oneKeyComesWithAllItsFindings() {
        ApiClient.Response response = tenant.api().get("/api/v1/keys/" + unused);
        assertThat(response.status()).isEqualTo(200);
        JsonNode key = response.json();
        assertThat(key.get("id").asString()).isEqualTo(unused);
        assertThat(key.get("usageStatus").asString()).isEqualTo("UNUSED");
        assertThat(key.get("findings")).hasSize(2);
        assertThat(key.get("findings").get(0).get("id").asString()).isEqualTo(unusedFinding);
        assertThat(key.get("findings").get(0).get("type").asString()).isEqualTo("KEY_UNUSED");
        assertThat(key.get("findings").get(1).get("type").asString()).isEqualTo("ROTATION_DISABLED");
        assertThat(key.get("findings").get(1).get("status").asString()).isEqualTo("RESOLVED");

        JsonNode gone = tenant.api().get("/api/v1/keys/" + removed).json();
        assertThat(gone.get("id").asString()).isEqualTo(removed);
        assertThat(gone.get("findings")).isEmpty();
        assertThat(tenant.api().get("/api/v1/keys/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void oneKeyIsFoundByItsAwsKeyIdOrArnToo() {
        // An AWS key id shaped like a UUID, a plain one, a key ARN (with its slash), and a key removed from AWS.
        assertThat(keyAt("1234abcd-0000-0000-0000-000000000001")).isEqualTo(rotating);
        assertThat(keyAt("unused-key")).isEqualTo(unused);
        assertThat(keyAt("arn:aws:kms:eu-west-1:111122223333:key/unused-key")).isEqualTo(unused);
        assertThat(keyAt("removed-key")).isEqualTo(removed);
        assertThat(tenant.api().get("/api/v1/keys/unused-key").json().get("findings")).hasSize(2);

        ApiClient.Response unknown = tenant.api().get("/api/v1/keys/no-such-key");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asString()).isEqualTo("Key not found: no key of this tenant has the"
                + " id, AWS key id or key ARN no-such-key. Search by part of its ARN or an alias:"
                + " GET /api/v1/keys?q=...; by exact ARN: GET /api/v1/keys?arn=...");
        // The right key id in the wrong region's ARN, an alias, another tenant's key id: none is this tenant's key.
        assertThat(tenant.api().get("/api/v1/keys/arn:aws:kms:us-east-1:111122223333:key/unused-key").status())
                .isEqualTo(404);
        assertThat(tenant.api().get("/api/v1/keys/alias/payments").status()).isEqualTo(404);
        assertThat(newTenant().api().get("/api/v1/keys/unused-key").status()).isEqualTo(404);

        TenantHandle multiRegion = newTenant();
        try (Seed seed = new Seed(multiRegion.id())) {
            UUID account = seed.account("777788889999", "global");
            seed.key(account, "us-east-1", "mrk-0123456789abcdef0123456789abcdef", Map.of("multi_region", true));
            seed.key(account, "eu-west-1", "mrk-0123456789abcdef0123456789abcdef", Map.of("multi_region", true));
        }
        ApiClient.Response ambiguous = multiRegion.api().get("/api/v1/keys/mrk-0123456789abcdef0123456789abcdef");
        assertThat(ambiguous.status()).isEqualTo(404);
        assertThat(ambiguous.json().get("detail").asString()).isEqualTo("Key not found: AWS key id"
                + " mrk-0123456789abcdef0123456789abcdef names 2 keys of this tenant, a multi-Region key's copies in"
                + " eu-west-1, us-east-1. Ask for one by its key ARN or its id in"
                + " GET /api/v1/keys?q=mrk-0123456789abcdef0123456789abcdef");
        assertThat(multiRegion.api().get("/api/v1/keys/arn:aws:kms:eu-west-1:777788889999:key/"
                + "mrk-0123456789abcdef0123456789abcdef").json().get("region").asString()).isEqualTo("eu-west-1");
    }

    private String keyAt(String reference) {
        ApiClient.Response response = tenant.api().get("/api/v1/keys/" + reference);
        assertThat(response.status()).as(reference + ": " + response).isEqualTo(200);
        return response.json().get("id").asString();
    }

    @Test
    void oneKeyAnswersConditionalGets() {
        ApiClient.Response first = tenant.api().get("/api/v1/keys/" + rotating);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"");
        ApiClient.Response notModified = tenant.api().get("/api/v1/keys/" + rotating, Map.of("If-None-Match", etag));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.text()).isEmpty();
        ApiClient.Response other = tenant.api().get("/api/v1/keys/" + unused, Map.of("If-None-Match", etag));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void pagesThroughAllKeysWithCursors() {
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = tenant.api().get("/api/v1/keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(i -> all.add(i.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly(sorted(rotating, unused, denied, managed, pending));
    }

    @Test
    void refusesBadInputWithFieldErrors() {
        ApiClient api = tenant.api();
        badRequest(api.get("/api/v1/keys?state=enabled"), "state");
        badRequest(api.get("/api/v1/keys?usageStatus=MAYBE"), "usageStatus");
        badRequest(api.get("/api/v1/keys?hasOpenFindings=maybe"), "hasOpenFindings");
        badRequest(api.get("/api/v1/keys?accountId=123"), "accountId");
        badRequest(api.get("/api/v1/keys?region=moon-1"), "region");
        badRequest(api.get("/api/v1/keys?q="), "q");
        for (String limit : List.of("0", "501", "-1", "abc")) {
            badRequest(api.get("/api/v1/keys?limit=" + limit), "limit");
        }
        badRequest(api.get("/api/v1/keys?cursor=nonsense"), "cursor");
        badRequest(api.get("/api/v1/keys?awsAccountId=1234567890123"), "awsAccountId");
        badRequest(api.get("/api/v1/keys?state=Enabled&state=enabled"), "state");
        badRequest(api.get("/api/v1/keys?manager=CUSTOMER"), "manager");
        String cursor = api.get("/api/v1/keys?limit=1").json().get("nextCursor").asString();
        badRequest(api.get("/api/v1/keys?limit=1&region=us-east-1&cursor=" + cursor), "cursor");
        badRequest(newTenant().api().get("/api/v1/keys?limit=1&cursor=" + cursor), "cursor");
    }

    @Test
    void anotherTenantSeesNoneOfTheseKeys() {
        TenantHandle other = newTenant();
        assertThat(other.api().get("/api/v1/keys").json().get("items")).isEmpty();
        assertThat(other.api().get("/api/v1/keys?q=payments").json().get("items")).isEmpty();
        assertThat(other.api().get("/api/v1/keys?accountId=" + prod).json().get("items")).isEmpty();
        assertThat(other.api().get("/api/v1/keys?hasOpenFindings=true").json().get("items")).isEmpty();
        assertThat(other.api().get("/api/v1/keys/" + rotating).status()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/keys/" + unused).status()).isEqualTo(404);
    }

    private List<String> ids(String query) {
        ApiClient.Response response = tenant.api().get("/api/v1/keys" + (query.isEmpty() ? "" : "?" + query));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("items").forEach(i -> ids.add(i.get("id").asString()));
        return ids;
    }

    private static String[] sorted(String... ids) {
        return java.util.Arrays.stream(ids).sorted(Comparator.naturalOrder()).toArray(String[]::new);
    }

    private static void badRequest(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }
}
