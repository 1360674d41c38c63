package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.spokesim.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import dev.unusd.spokesim.Scenario.KeyFaults;

/** Each fault of the simulator: what the target reports and what the store keeps. */
class ScanFaultsIntegrationTest extends EngineIntegrationTest {

    @Autowired
    MeterRegistry meters;

    static final String ACCOUNT = """
            disabledRegions: [eu-central-1]
            regions:
              us-east-1:
                keys:
                  - id: 00000001-0000-4000-8000-000000000001
                    createdAt: -200d
                    lastUsage: none
                  - id: 00000002-0000-4000-8000-000000000002
                    lastUsage: {at: -1d, operation: Decrypt}
                    faults: {denyDescribeKey: true}
                  - id: 00000003-0000-4000-8000-000000000003
                    lastUsage: {at: -1d, operation: Encrypt}
                  - id: 00000004-0000-4000-8000-000000000004
                    lastUsage: {at: -1d, operation: Encrypt}
                    rotation: {enabled: true, rotations: 1}
            """;

    @Test
    void roleNotDeployedIsAssumeRoleDenied() {
        Scenario.Account account = dev.unusd.hub.support.TestSpokeSim.addAccount(ACCOUNT);
        Target target = registerIn(newTenant(), account, false, "us-east-1");

        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(result.error().code()).isEqualTo("ASSUME_ROLE_DENIED");
        assertThat(result.error().message()).isEqualTo("The hub may not assume arn:aws:iam::" + account.id()
                + ":role/UnusdSpokeRole (AccessDenied): deploy the spoke role with this account's ExternalId and trust"
                + " in the hub");
        assertThat(keys(target, "us-east-1")).isEmpty();
    }

    @Test
    void wrongExternalIdIsAssumeRoleDenied() {
        Target target = register(ACCOUNT, "us-east-1");
        sim().deployRole(target.awsAccountId(), ROLE, "someone-elses-external-id");

        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(result.error().code()).isEqualTo("ASSUME_ROLE_DENIED");
    }

    @Test
    void regionNotEnabledIsSkipped() {
        Target target = register(ACCOUNT, "us-east-1", "eu-central-1");

        TargetResult result = scan(target, "eu-central-1", UUID.randomUUID());

        assertThat(result).isEqualTo(new TargetResult(TargetStatus.SKIPPED, 0, 0, 0, new TargetResult.TargetError(
                "REGION_NOT_ENABLED", "The account has not enabled this region (UnrecognizedClientException)")));
    }

    @Test
    void perKeyDenialsLeaveThatKeyUnknownAndResolveNothing() {
        Target target = register(ACCOUNT, "us-east-1");
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, Map<String, Object>> keys = keys(target, "us-east-1");
        Map<String, Object> undescribed = keys.get("00000002-0000-4000-8000-000000000002");
        assertThat(undescribed.get("state")).isNull();
        assertThat(undescribed.get("usage_status")).isEqualTo("UNKNOWN");
        assertThat(undescribed.get("unknown").toString()).startsWith("{\"metadata\": \"AccessDeniedException: User: ")
                .contains("kms:DescribeKey").contains("explicit deny in a resource-based policy");
        assertThat(findingStatuses(target, "us-east-1")).containsOnly(
                entry("00000001-0000-4000-8000-000000000001 KEY_UNUSED", "OPEN"),
                entry("00000001-0000-4000-8000-000000000001 ROTATION_DISABLED", "OPEN"),
                entry("00000003-0000-4000-8000-000000000003 ROTATION_DISABLED", "OPEN"));

        // The key policy now denies DescribeKey and GetKeyLastUsage on the unused key: its findings stay as they were.
        sim().setKeyFaults(target.awsAccountId(), "us-east-1", "00000001-0000-4000-8000-000000000001",
                new KeyFaults(true, true, false, false));
        TargetResult second = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(second).usingRecursiveComparison().ignoringFields("warnings").isEqualTo(
                new TargetResult(TargetStatus.SUCCEEDED, 4, 0, 0, null, 2, java.util.List.of()));
        assertThat(second.warnings()).extracting(TargetWarning::code, TargetWarning::keys)
                .containsExactly(tuple("METADATA_DENIED", 2));
        assertThat(findingStatuses(target, "us-east-1")).containsOnly(
                entry("00000001-0000-4000-8000-000000000001 KEY_UNUSED", "OPEN"),
                entry("00000001-0000-4000-8000-000000000001 ROTATION_DISABLED", "OPEN"),
                entry("00000003-0000-4000-8000-000000000003 ROTATION_DISABLED", "OPEN"));
    }

    @Test
    void serverErrorBurstsAreRetriedAndTheScanCompletes() {
        Target target = register(ACCOUNT, "us-east-1");
        try {
            for (String operation : new String[] {"ListKeys", "ListAliases", "DescribeKey", "ListResourceTags",
                    "GetKeyRotationStatus", "ListKeyRotations", "GetKeyLastUsage"}) {
                sim().setServerErrorRate(operation, 0.2);
            }
            TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

            assertThat(result).usingRecursiveComparison().ignoringFields("warnings").isEqualTo(
                    new TargetResult(TargetStatus.SUCCEEDED, 4, 3, 0, null, 1, java.util.List.of()));
            assertThat(result.warnings()).extracting(TargetWarning::code, TargetWarning::keys)
                    .containsExactly(tuple("METADATA_DENIED", 1));
            assertThat(sim().counters().entries().stream()
                    .filter(e -> e.accountId().equals(target.awsAccountId()))
                    .mapToLong(e -> e.errors("KMSInternalException")).sum()).isPositive();
        } finally {
            sim().clearServerFaults();
        }
        assertThat(keys(target, "us-east-1").get("00000004-0000-4000-8000-000000000004").get("rotations")).isEqualTo(1);
    }

    @Test
    void throttlingSlowsTheScanDownAndItStillCompletes() {
        StringBuilder many = new StringBuilder("regions:\n  us-east-1:\n    keys:\n");
        for (int i = 0; i < 30; i++) {
            many.append("      - {lastUsage: {at: -1d, operation: Decrypt}, rotation: {enabled: true}}\n");
        }
        Target target = register(many.toString(), "us-east-1");
        try {
            // AWS answers DescribeKey at 3/s while the hub expects 2000/s.
            sim().setQuota("DescribeKey", 3);
            double throttlesBefore = describeKeyCount("hub.aws.throttles", null);
            double throttledBefore = describeKeyCount("hub.aws.calls", "throttled");
            double succeededBefore = describeKeyCount("hub.aws.calls", "success");
            TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

            assertThat(result).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 30, 0, 0, null));
            long throttled = sim().counters().of(target.awsAccountId(), "us-east-1", "DescribeKey").throttled();
            assertThat(throttled).isPositive();
            // Each throttled answer is one attempt and one call as the hub counts them; each key described once.
            assertThat(describeKeyCount("hub.aws.throttles", null) - throttlesBefore).isEqualTo(throttled);
            assertThat(describeKeyCount("hub.aws.calls", "throttled") - throttledBefore).isEqualTo(throttled);
            assertThat(describeKeyCount("hub.aws.calls", "success") - succeededBefore).isEqualTo(30);
            assertThat(keys(target, "us-east-1").values()).allSatisfy(key -> assertThat(key.get("state"))
                    .isEqualTo("Enabled"));
        } finally {
            sim().clearQuotaOverrides();
        }
    }

    private double describeKeyCount(String name, @Nullable String outcome) {
        var search = meters.find(name).tag("service", "KMS").tag("operation", "DescribeKey");
        var counter = (outcome == null ? search : search.tag("outcome", outcome)).counter();
        return counter == null ? 0 : counter.count();
    }
}
