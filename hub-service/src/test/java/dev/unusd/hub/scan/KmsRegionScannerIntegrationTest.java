package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.spokesim.CounterSnapshot;
import dev.unusd.spokesim.Scenario;

class KmsRegionScannerIntegrationTest extends EngineIntegrationTest {

    /** Every key type and state of aws-facts.md that a rule cares about, one key each; 17 keys over 5 ListKeys pages. */
    static final String ZOO = """
            regions:
              us-east-1:
                aliasesWithoutKey: [alias/aws/dynamodb]
                keys:
                  - id: 00000001-0000-4000-8000-000000000001
                    aliases: [alias/orders, alias/orders-old]
                    rotation: {enabled: true, periodDays: 365, rotations: 3}
                    lastUsage: {at: -2d, operation: Decrypt}
                  - id: 00000002-0000-4000-8000-000000000002
                    aliases: [alias/legacy]
                    createdAt: -200d
                    lastUsage: none
                  - id: 00000003-0000-4000-8000-000000000003
                    createdAt: -10d
                    lastUsage: none
                  - id: 00000004-0000-4000-8000-000000000004
                    spec: RSA_2048
                    usage: SIGN_VERIFY
                    lastUsage: {at: -1d, operation: Sign}
                  - id: 00000005-0000-4000-8000-000000000005
                    spec: HMAC_256
                    lastUsage: none
                  - id: 00000006-0000-4000-8000-000000000006
                    origin: EXTERNAL
                    lastUsage: none
                  - id: 00000007-0000-4000-8000-000000000007
                    state: PendingDeletion
                    lastUsage: {at: -5d, operation: Decrypt}
                  - id: 00000008-0000-4000-8000-000000000008
                    state: PendingDeletion
                    lastUsage: {at: -60d, operation: Encrypt}
                  - id: 00000009-0000-4000-8000-000000000009
                    state: Disabled
                    lastUsage: none
                  - id: 0000000a-0000-4000-8000-00000000000a
                    manager: AWS
                    aliases: [alias/aws/s3]
                  - id: 0000000b-0000-4000-8000-00000000000b
                    rotation: {enabled: true, periodDays: 730, rotations: 1}
                    lastUsage: {at: -3d, operation: GenerateDataKey}
                  - id: 0000000c-0000-4000-8000-00000000000c
                    tags: {unusd: "true", team: payments}
                    lastUsage: none
                  - id: 0000000d-0000-4000-8000-00000000000d
                    spec: ECC_NIST_P256
                    lastUsage: {at: -4d, operation: Verify}
                  - id: 0000000e-0000-4000-8000-00000000000e
                    origin: EXTERNAL
                    state: PendingImport
                    lastUsage: none
                  - id: 0000000f-0000-4000-8000-00000000000f
                    origin: AWS_CLOUDHSM
                    lastUsage: {at: -100d, operation: Decrypt}
                  - id: 00000010-0000-4000-8000-000000000010
                    tags: {a: "1", b: "2", c: "3", d: "4", e: "5"}
                    aliases: [alias/a, alias/b, alias/c, alias/d]
                    rotation: {enabled: true, periodDays: 90, rotations: 1}
                    lastUsage: {at: -1h, operation: Encrypt}
                  - id: mrk-00000000000000000000000000000011
                    multiRegion: {type: PRIMARY}
                    rotation: {enabled: true}
                    lastUsage: {at: -6d, operation: Decrypt}
            """;

    @Test
    void judgesEveryKeyTypeAndStateInOneScan() {
        Target target = register(ZOO, "us-east-1");
        UUID scanId = UUID.randomUUID();

        TargetResult result = scan(target, "us-east-1", scanId);

        assertThat(result).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 17, 10, 0, null));
        assertThat(findingStatuses(target, "us-east-1")).containsOnly(
                entry("00000002-0000-4000-8000-000000000002 KEY_UNUSED", "OPEN"),
                entry("00000002-0000-4000-8000-000000000002 ROTATION_DISABLED", "OPEN"),
                entry("00000003-0000-4000-8000-000000000003 ROTATION_DISABLED", "OPEN"),
                entry("00000005-0000-4000-8000-000000000005 KEY_UNUSED", "OPEN"),
                entry("00000006-0000-4000-8000-000000000006 KEY_UNUSED", "OPEN"),
                entry("00000007-0000-4000-8000-000000000007 PENDING_DELETION_IN_USE", "OPEN"),
                entry("00000009-0000-4000-8000-000000000009 KEY_UNUSED", "OPEN"),
                entry("00000009-0000-4000-8000-000000000009 ROTATION_DISABLED", "OPEN"),
                entry("0000000b-0000-4000-8000-00000000000b ROTATION_PERIOD_TOO_LONG", "OPEN"),
                entry("0000000c-0000-4000-8000-00000000000c KEY_UNUSED", "SUPPRESSED"),
                entry("0000000c-0000-4000-8000-00000000000c ROTATION_DISABLED", "SUPPRESSED"),
                entry("0000000f-0000-4000-8000-00000000000f KEY_UNUSED", "OPEN"));

        Map<String, Map<String, Object>> keys = keys(target, "us-east-1");
        assertThat(keys).hasSize(17);
        Map<String, Object> orders = keys.get("00000001-0000-4000-8000-000000000001");
        assertThat(orders.get("usage_status")).isEqualTo("USED");
        assertThat(orders.get("last_used_source")).isEqualTo("KMS_LAST_USAGE");
        assertThat(orders.get("last_used_operation")).isEqualTo("Decrypt");
        assertThat(orders.get("rotations")).isEqualTo(3);
        assertThat(orders.get("monthly_cost_usd")).isEqualTo(new BigDecimal("3.00"));
        assertThat(keys.get("00000010-0000-4000-8000-000000000010").get("tags").toString())
                .isEqualTo("{\"a\": \"1\", \"b\": \"2\", \"c\": \"3\", \"d\": \"4\", \"e\": \"5\"}");
        assertThat(keys.get("00000010-0000-4000-8000-000000000010").get("monthly_cost_usd"))
                .isEqualTo(new BigDecimal("2.00"));
        assertThat(keys.get("0000000a-0000-4000-8000-00000000000a").get("manager")).isEqualTo("AWS");
        assertThat(keys.get("0000000a-0000-4000-8000-00000000000a").get("monthly_cost_usd"))
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(keys.get("00000007-0000-4000-8000-000000000007").get("monthly_cost_usd"))
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(keys.get("0000000c-0000-4000-8000-00000000000c").get("exempt")).isEqualTo(true);
        assertThat(keys.get("00000003-0000-4000-8000-000000000003").get("usage_status")).isEqualTo("UNUSED");
        assertThat(keys.get("mrk-00000000000000000000000000000011").get("multi_region_type")).isEqualTo("PRIMARY");

        CounterSnapshot calls = sim().counters();
        String account = target.awsAccountId();
        assertThat(calls.of(account, "us-east-1", "ListKeys").calls()).isEqualTo(5);
        // 16 customer-managed keys: one GetKeyLastUsage each, tracking covers the window, so no CloudTrail for use;
        // one search for calls refused by the key pending deletion and not used in the last 30 days.
        assertThat(calls.of(account, "us-east-1", "GetKeyLastUsage").calls()).isEqualTo(16);
        assertThat(calls.of(account, "us-east-1", "LookupEvents").calls()).isEqualTo(1);
        assertThat(calls.of(account, "us-east-1", "ListResourceTags").calls()).isEqualTo(18);
    }

    /**
     * KMSInvalidStateException means rotation does not apply only to a key pending deletion: a key Updating (a
     * multi-Region primary changing Region) still has its rotation off and its rotations, which the scan could not
     * read. Its finding stands, its cost is unknown and the target says why.
     */
    @Test
    void aRotationRefusedForATransientStateIsUnknownNotAbsent() {
        Target target = register("""
                regions:
                  us-east-1:
                    keys:
                      - id: mrk-000000000000000000000000000000a1
                        multiRegion: {type: PRIMARY}
                        rotation: {enabled: false, rotations: 2}
                        lastUsage: {at: -1d, operation: Decrypt}
                """, "us-east-1");
        String key = "mrk-000000000000000000000000000000a1";
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(findingStatuses(target, "us-east-1")).containsOnly(entry(key + " ROTATION_DISABLED", "OPEN"));
        assertThat(keys(target, "us-east-1").get(key).get("monthly_cost_usd")).isEqualTo(new BigDecimal("3.00"));

        sim().setKeyState(target.awsAccountId(), "us-east-1", key, Scenario.KeyState.Updating);
        TargetResult rescan = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(rescan.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(findingStatuses(target, "us-east-1")).containsOnly(entry(key + " ROTATION_DISABLED", "OPEN"));
        Map<String, Object> stored = keys(target, "us-east-1").get(key);
        assertThat(stored.get("monthly_cost_usd")).isNull();
        assertThat(stored.get("unknown").toString()).contains("rotation").contains("KMSInvalidStateException");
    }

    @Test
    void aRegionWithoutKeysCostsOneListKeysNoListAliasesAndNoWrite() {
        Target target = register("""
                regions:
                  us-east-1:
                    keys:
                      - id: 00000001-0000-4000-8000-000000000001
                        aliases: [alias/orders]
                        lastUsage: {at: -2d, operation: Decrypt}
                  eu-west-1:
                    aliasesWithoutKey: [alias/aws/dynamodb]
                    keys: []
                """, "us-east-1", "eu-west-1");
        UUID scanId = UUID.randomUUID();
        long version = findingsVersion(target);

        assertThat(scan(target, "eu-west-1", scanId)).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 0, 0, 0, null));
        assertThat(findingsVersion(target)).as("nothing in AWS, nothing stored: nothing written").isEqualTo(version);
        assertThat(scan(target, "us-east-1", scanId).keysScanned()).isEqualTo(1);
        assertThat(findingsVersion(target)).isEqualTo(version + 1);

        CounterSnapshot calls = sim().counters();
        String account = target.awsAccountId();
        assertThat(calls.of(account, "eu-west-1", "ListKeys").calls()).isEqualTo(1);
        // Nothing to name: an alias without a key is AWS's predefined one, which the hub drops anyway.
        assertThat(calls.of(account, "eu-west-1", "ListAliases").calls()).isZero();
        assertThat(calls.of(account, "us-east-1", "ListAliases").calls()).isEqualTo(1);
        assertThat(keys(target, "us-east-1").get("00000001-0000-4000-8000-000000000001").get("aliases").toString())
                .contains("alias/orders");
    }

    private static long findingsVersion(Target target) {
        return store().sql("SELECT findings_version FROM tenants WHERE id = ?").param(target.tenant().id())
                .query(Long.class).single();
    }
}
