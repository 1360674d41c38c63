package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a user sees when the hub could not see everything, and when settings change between scans: a verdict follows
 * what was searched, and a scan that could not judge says so in the API, never as "unused", $0 or a clean success.
 */
class DegradedAnswersIntegrationTest extends EngineIntegrationTest {

    /** The demo's alias/eu-exports: used 60 days ago, before tracking began (20 days ago), so only CloudTrail knows. */
    private static final String EXPORTS = """
            regions:
              eu-west-1:
                trackingStartDate: -20d
                keys:
                  - id: 0000e0e0-0000-4000-8000-000000000001
                    createdAt: -150d
                    rotation: {enabled: true}
                    cloudTrail:
                      - {at: -60d, eventName: Encrypt}
                      - {at: -25d, eventName: Decrypt, errorCode: DisabledException}
            """;

    @Test
    void aNarrowerWindowKeepsTheUseFoundBeforeAndWideningItBringsTheKeyBack() {
        Target target = register(EXPORTS, "eu-west-1");
        ApiClient api = target.tenant().api();
        Instant used = Instant.now().minus(Duration.ofDays(60));

        scan(target, "eu-west-1", UUID.randomUUID());
        JsonNode key = onlyKey(api);
        assertThat(key.get("usageStatus").asString()).isEqualTo("USED");
        assertThat(daysAgo(key.get("lastUsed").get("at"))).isEqualTo(60);

        putUnusedDays(api, 30);
        scan(target, "eu-west-1", UUID.randomUUID());
        key = onlyKey(api);
        assertThat(key.get("usageStatus").asString()).isEqualTo("UNUSED");
        assertThat(key.get("lastUsed").get("operation").asString()).isEqualTo("Encrypt");
        assertThat(daysAgo(key.get("lastUsed").get("at"))).isEqualTo(60);
        assertThat(key.get("lastUsed").get("latest").asBoolean()).isTrue();
        JsonNode unused = findings(api, "KEY_UNUSED");
        assertThat(unused.get("status").asString()).isEqualTo("OPEN");
        assertThat(unused.get("detail").asString())
                .startsWith("No successful cryptographic use in the last 30 days (last used on "
                        + used.toString().substring(0, 10) + " (Encrypt)).")
                .doesNotContain("no recorded use since");

        putUnusedDays(api, 90);
        for (int i = 0; i < 2; i++) {
            scan(target, "eu-west-1", UUID.randomUUID());
            key = onlyKey(api);
            assertThat(key.get("usageStatus").asString()).isEqualTo("USED");
            assertThat(daysAgo(key.get("lastUsed").get("at"))).isEqualTo(60);
            assertThat(findings(api, "KEY_UNUSED").get("status").asString()).isEqualTo("RESOLVED");
        }
    }

    @Test
    void aRoleWithoutDescribeKeyLeavesKeysUndecidedAndSaysSo() {
        Target target = register("""
                regions:
                  us-east-1:
                    keys:
                      - {createdAt: -200d, lastUsage: none, tags: {unusd: "true"}}
                      - {createdAt: -200d, lastUsage: none}
                      - {createdAt: -200d, lastUsage: {at: -1d, operation: Decrypt}}
                """, "us-east-1");
        ApiClient api = target.tenant().api();
        ScanFixture.disableSchedule(api);
        JsonNode first = ScanFixture.awaitEnd(api, launch(api, target));
        assertThat(first.get("undecidedKeys").asInt()).isZero();
        assertThat(first.get("warnings")).isEmpty();
        assertThat(api.get("/api/v1/summary").json().get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("3");

        withhold(target, "kms:DescribeKey");
        JsonNode scan = ScanFixture.awaitEnd(api, launch(api, target));

        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(scan.get("undecidedKeys").asInt()).isEqualTo(3);
        JsonNode target0 = scan.get("targets").get(0);
        assertThat(target0.get("undecidedKeys").asInt()).isEqualTo(3);
        JsonNode warning = target0.get("warnings").get(0);
        assertThat(warning.get("code").asString()).isEqualTo("METADATA_DENIED");
        assertThat(warning.get("keys").asInt()).isEqualTo(3);
        assertThat(warning.get("message").asString()).startsWith("kms:DescribeKey: AccessDeniedException");
        assertThat(scan.get("warnings").get(0).get("awsAccountId").asString()).isEqualTo(target.awsAccountId());
        assertThat(scan.get("warnings").get(0).get("region").asString()).isEqualTo("us-east-1");

        for (JsonNode key : api.get("/api/v1/keys").json().get("items")) {
            assertThat(key.get("monthlyCostUsd").isNull()).as("cost of a key whose metadata is unknown").isTrue();
            assertThat(key.get("state").asString()).as("the last state read").isEqualTo("Enabled");
            assertThat(key.get("withheld").get("metadata").asString()).startsWith("AccessDeniedException");
            assertThat(key.get("usageStatus").asString()).isEqualTo("UNKNOWN");
            assertThat(key.get("usageUnknownReason").asString()).startsWith("DescribeKey: AccessDeniedException");
        }
        assertThat(api.get("/api/v1/keys").json().get("items")).filteredOn(k -> k.get("exempt").asBoolean())
                .as("the exemption read before").hasSize(1);
        JsonNode summary = api.get("/api/v1/summary").json();
        assertThat(summary.get("keys").get("costUnknown").asInt()).isEqualTo(3);
        assertThat(summary.get("keys").get("customerManaged").asInt()).isEqualTo(3);
        assertThat(summary.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("0");
        // Findings are left as they were: nothing resolved on the strength of nothing.
        assertThat(api.get("/api/v1/findings?type=KEY_UNUSED").json().get("items")).hasSize(1);
        assertThat(api.get("/api/v1/findings?status=RESOLVED").json().get("items")).isEmpty();
    }

    @Test
    void usageSourcesFailingForEveryKeyIsAWarningNotACleanSuccess() {
        Target target = register("""
                regions:
                  us-east-1:
                    keys:
                      - {createdAt: -200d, lastUsage: none}
                      - {createdAt: -200d, lastUsage: {at: -3d, operation: Decrypt}}
                """, "us-east-1");
        ApiClient api = target.tenant().api();
        ScanFixture.disableSchedule(api);
        sim().setServerErrorRate("GetKeyLastUsage", 1.0);
        sim().setServerErrorRate("LookupEvents", 1.0);
        // The SDK's retries of each failed search would otherwise exceed LookupEvents' 2 calls a second.
        sim().setQuota("LookupEvents", 100);
        JsonNode scan;
        try {
            scan = ScanFixture.awaitEnd(api, launch(api, target));
        } finally {
            sim().setServerErrorRate("GetKeyLastUsage", 0.0);
            sim().setServerErrorRate("LookupEvents", 0.0);
            sim().clearQuotaOverrides();
        }
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(scan.get("undecidedKeys").asInt()).isEqualTo(2);
        Map<String, Integer> warnings = new java.util.TreeMap<>();
        scan.get("targets").get(0).get("warnings").forEach(w -> warnings.put(w.get("code").asString(),
                w.get("keys").asInt()));
        assertThat(warnings).isEqualTo(Map.of("USAGE_UNKNOWN", 2, "LAST_USAGE_UNKNOWN", 2));
        for (JsonNode key : api.get("/api/v1/keys").json().get("items")) {
            assertThat(key.get("usageStatus").asString()).isEqualTo("UNKNOWN");
            assertThat(key.get("usageUnknownReason").asString()).startsWith("CloudTrail: ");
            assertThat(key.get("monthlyCostUsd").decimalValue()).isEqualByComparingTo("1");
        }
        assertThat(api.get("/api/v1/findings?type=KEY_UNUSED").json().get("items")).isEmpty();
    }

    private static String launch(ApiClient api, Target target) {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of("accountIds", List.of(target.accountId())));
        assertThat(launched.status()).isEqualTo(202);
        return launched.json().get("id").asString();
    }

    private static JsonNode onlyKey(ApiClient api) {
        JsonNode items = api.get("/api/v1/keys").json().get("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static JsonNode findings(ApiClient api, String type) {
        JsonNode items = api.get("/api/v1/findings?status=OPEN&type=" + type).json().get("items");
        if (items.isEmpty()) {
            items = api.get("/api/v1/findings?status=RESOLVED&type=" + type).json().get("items");
        }
        assertThat(items).as(type + " findings").hasSize(1);
        return items.get(0);
    }

    private static void putUnusedDays(ApiClient api, int days) {
        ObjectNode settings = (ObjectNode) api.get("/api/v1/settings").json();
        settings.put("unusedDays", days);
        assertThat(api.put("/api/v1/settings", settings).status()).isEqualTo(200);
    }

    private static long daysAgo(JsonNode at) {
        return Math.round(Duration.between(Instant.parse(at.asString()), Instant.now()).toHours() / 24.0);
    }
}
