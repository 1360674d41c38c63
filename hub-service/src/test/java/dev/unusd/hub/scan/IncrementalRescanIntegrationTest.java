package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.aws.SpokeClients;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.kms.KeyInventory;
import dev.unusd.hub.kms.RegionSnapshot;
import dev.unusd.hub.kms.UsageMode;
import dev.unusd.hub.kms.UsagePolicy;
import dev.unusd.spokesim.CounterSnapshot;

/**
 * An unchanged organisation rescanned makes far fewer rate-limited calls (GetKeyLastUsage + LookupEvents): recently
 * used keys need no usage call, and CloudTrail spans searched before are not searched again.
 */
class IncrementalRescanIntegrationTest extends EngineIntegrationTest {

    /**
     * A region whose last-usage tracking began 30 days ago: 30 keys in use (KMS last usage), 2 used only before
     * tracking began (CloudTrail), 4 unused with long histories, 2 new and never used, 1 pending deletion, 1 whose
     * key policy denies GetKeyLastUsage.
     */
    static String organisation() {
        StringBuilder yaml = new StringBuilder("regions:\n  us-east-1:\n    trackingStartDate: -30d\n    keys:\n");
        for (int i = 0; i < 30; i++) {
            yaml.append("      - {lastUsage: {at: -").append(1 + i % 25).append("d, operation: Decrypt}, rotation: {enabled: true}}\n");
        }
        for (int i = 0; i < 2; i++) {
            yaml.append("      - {createdAt: -200d, noiseEvents: 110, cloudTrail: [{at: -50d, eventName: Encrypt}]}\n");
        }
        for (int i = 0; i < 4; i++) {
            yaml.append("      - {createdAt: -200d, noiseEvents: 110}\n");
        }
        for (int i = 0; i < 2; i++) {
            yaml.append("      - {createdAt: -10d, lastUsage: none}\n");
        }
        yaml.append("      - {state: PendingDeletion, lastUsage: {at: -5d, operation: Decrypt}}\n");
        yaml.append("      - {lastUsage: {at: -3d, operation: Encrypt}, faults: {denyGetKeyLastUsage: true}}\n");
        return yaml.toString();
    }

    @Autowired
    KeyInventory inventory;
    @Autowired
    SpokeClients clients;
    @Autowired
    AccountApi accounts;

    @Test
    void rescanOfAnUnchangedOrganisationMakesAtLeast80PercentFewerRateLimitedCalls() {
        Target target = register(organisation(), "us-east-1");
        String account = target.awsAccountId();

        TargetResult first = scan(target, "us-east-1", UUID.randomUUID());
        CounterSnapshot afterFirst = sim().counters();
        Map<String, Object> firstFindings = Map.copyOf(findingStatuses(target, "us-east-1"));
        TargetResult second = scan(target, "us-east-1", UUID.randomUUID());
        CounterSnapshot afterSecond = sim().counters();

        long firstUsage = afterFirst.of(account, "us-east-1", "GetKeyLastUsage").calls();
        long firstTrail = afterFirst.of(account, "us-east-1", "LookupEvents").calls();
        long secondUsage = afterSecond.of(account, "us-east-1", "GetKeyLastUsage").calls() - firstUsage;
        long secondTrail = afterSecond.of(account, "us-east-1", "LookupEvents").calls() - firstTrail;
        long firstTotal = firstUsage + firstTrail;
        long secondTotal = secondUsage + secondTrail;
        System.out.printf("rate-limited calls, 40 keys: first scan GetKeyLastUsage %d + LookupEvents %d = %d;"
                + " rescan GetKeyLastUsage %d + LookupEvents %d = %d (%.0f%% fewer)%n", firstUsage, firstTrail,
                firstTotal, secondUsage, secondTrail, secondTotal, 100.0 * (firstTotal - secondTotal) / firstTotal);

        assertThat(first).usingRecursiveComparison().ignoringFields("warnings").isEqualTo(
                new TargetResult(TargetStatus.SUCCEEDED, 40, 14, 0, null));
        // The key whose policy denies GetKeyLastUsage was answered by CloudTrail, and the scan says so.
        assertThat(first.warnings()).extracting(TargetWarning::code, TargetWarning::keys)
                .containsExactly(tuple("LAST_USAGE_DENIED", 1));
        assertThat(second).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 40, 0, 0, null));
        assertThat(findingStatuses(target, "us-east-1")).isEqualTo(firstFindings);
        // Rescan: only the 4 unused, 2 never-used and 1 pending-deletion keys ask GetKeyLastUsage; no CloudTrail.
        assertThat(secondUsage).isEqualTo(7);
        assertThat(secondTrail).isZero();
        assertThat(secondTotal * 5).isLessThanOrEqualTo(firstTotal);
    }

    @Test
    void cloudTrailOnlySearchesEveryKeyOverTheWholeWindowAtEveryScan() {
        Target target = register(organisation(), "us-east-1");

        RegionSnapshot snapshot = TenantContext.callAs(target.tenant().id(), () -> inventory.collect(
                clients.connect(accounts.require(target.accountId()), "us-east-1"), Map.of(),
                new UsagePolicy(Instant.now(), 90, UsageMode.CLOUDTRAIL_ONLY, Duration.ofDays(1))));

        CounterSnapshot calls = sim().counters();
        assertThat(calls.of(target.awsAccountId(), "us-east-1", "GetKeyLastUsage").calls()).isZero();
        assertThat(calls.of(target.awsAccountId(), "us-east-1", "LookupEvents").calls()).isGreaterThanOrEqualTo(40);
        assertThat(snapshot.keys().stream().filter(k -> k.usage().status().name().equals("USED")).count())
                .isEqualTo(34);
    }
}
