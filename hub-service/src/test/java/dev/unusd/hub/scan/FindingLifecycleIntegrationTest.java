package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.aws.SpokeClients;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.finding.FindingReconciler;
import dev.unusd.hub.kms.KeyInventory;
import dev.unusd.hub.kms.RegionSnapshot;
import dev.unusd.hub.kms.UsageMode;
import dev.unusd.hub.kms.UsagePolicy;
import dev.unusd.hub.rule.RuleSettings;
import dev.unusd.hub.rule.Rules;
import dev.unusd.spokesim.Scenario.KeyState;

/** Findings across scans: kept while true, resolved when gone, reopened when back, idempotent per target. */
class FindingLifecycleIntegrationTest extends EngineIntegrationTest {

    static final String REGION = "us-east-1";
    static final String UNUSED = "00000001-0000-4000-8000-000000000001";
    static final String DISABLED = "00000002-0000-4000-8000-000000000002";
    static final String ROTATING = "00000003-0000-4000-8000-000000000003";
    static final String ACCOUNT = """
            regions:
              us-east-1:
                keys:
                  - id: 00000001-0000-4000-8000-000000000001
                    createdAt: -200d
                    lastUsage: none
                    rotation: {enabled: true}
                  - id: 00000002-0000-4000-8000-000000000002
                    state: Disabled
                    lastUsage: none
                    rotation: {enabled: true}
                  - id: 00000003-0000-4000-8000-000000000003
                    lastUsage: {at: -1d, operation: Decrypt}
                    rotation: {enabled: true, periodDays: 400}
            """;

    @Autowired
    KeyInventory inventory;
    @Autowired
    SpokeClients clients;
    @Autowired
    AccountApi accounts;
    @Autowired
    FindingReconciler reconciler;

    @Test
    void keepsResolvesAndReopensFindingsWithTheirHistory() {
        Target target = register(ACCOUNT, REGION);
        String unused = UNUSED + " KEY_UNUSED";
        String disabled = DISABLED + " KEY_UNUSED";

        assertThat(scan(target, REGION, UUID.randomUUID()))
                .isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 3, 3, 0, null));
        Map<String, Map<String, Object>> first = findings(target, REGION);
        assertThat(findingStatuses(target, REGION)).containsOnly(entry(unused, "OPEN"), entry(disabled, "OPEN"),
                entry(ROTATING + " ROTATION_PERIOD_TOO_LONG", "OPEN"));

        // The unused key gets used; the disabled one is scheduled for deletion.
        sim().useKey(target.awsAccountId(), REGION, UNUSED, "Encrypt");
        sim().setKeyState(target.awsAccountId(), REGION, DISABLED, KeyState.PendingDeletion);
        UUID secondScan = UUID.randomUUID();
        assertThat(scan(target, REGION, secondScan)).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 3, 0, 2, null));
        Map<String, Map<String, Object>> second = findings(target, REGION);
        assertThat(findingStatuses(target, REGION)).containsOnly(entry(unused, "RESOLVED"), entry(disabled, "RESOLVED"),
                entry(ROTATING + " ROTATION_PERIOD_TOO_LONG", "OPEN"));
        assertThat(second.get(unused).get("resolved_at")).isNotNull();
        Map<String, Object> kept = second.get(ROTATING + " ROTATION_PERIOD_TOO_LONG");
        assertThat(kept.get("id")).isEqualTo(first.get(ROTATING + " ROTATION_PERIOD_TOO_LONG").get("id"));
        assertThat(kept.get("first_seen_at")).isEqualTo(first.get(ROTATING + " ROTATION_PERIOD_TOO_LONG")
                .get("first_seen_at"));
        assertThat(kept.get("last_seen_at")).isNotEqualTo(first.get(ROTATING + " ROTATION_PERIOD_TOO_LONG")
                .get("last_seen_at"));

        // Running the same target of the same scan again changes nothing and reports the same counts.
        assertThat(scan(target, REGION, secondScan)).isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 3, 0, 2, null));
        assertThat(events((UUID) second.get(unused).get("id"))).containsExactly("OPEN", "RESOLVED");

        // Deletion cancelled: the key is Disabled and unused again, so its finding opens again, same id, new history.
        sim().setKeyState(target.awsAccountId(), REGION, DISABLED, KeyState.Disabled);
        assertThat(scan(target, REGION, UUID.randomUUID()))
                .isEqualTo(new TargetResult(TargetStatus.SUCCEEDED, 3, 1, 0, null));
        Map<String, Map<String, Object>> third = findings(target, REGION);
        assertThat(third.get(disabled).get("status")).isEqualTo("OPEN");
        assertThat(third.get(disabled).get("id")).isEqualTo(first.get(disabled).get("id"));
        assertThat(third.get(disabled).get("resolved_at")).isNull();
        assertThat(events((UUID) third.get(disabled).get("id"))).containsExactly("OPEN", "RESOLVED", "OPEN");
    }

    @Test
    void exemptKeysAreSuppressedAndOpenWhenTheTagGoes() {
        Target target = register(ACCOUNT, REGION);
        target.tenant().api().put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", "team", "value", "payments"), "unusedDays", 90,
                "maxRotationPeriodDays", 400, "defaultRegions", List.of(REGION),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", true)));

        assertThat(scan(target, REGION, UUID.randomUUID()).findingsOpened()).isEqualTo(2);
        assertThat(findingStatuses(target, REGION)).containsOnly(entry(UNUSED + " KEY_UNUSED", "OPEN"),
                entry(DISABLED + " KEY_UNUSED", "OPEN"));
    }

    @Test
    void keysGoneFromAwsAreMarkedRemovedAndTheirFindingsResolved() {
        Target target = register(ACCOUNT, REGION);
        UUID firstScan = UUID.randomUUID();
        scan(target, REGION, firstScan);

        // A successful scan whose snapshot no longer has the unused key.
        UUID tenant = target.tenant().id();
        UUID secondScan = UUID.randomUUID();
        FindingReconciler.Reconciled reconciled = TenantContext.callAs(tenant, () -> {
            var account = accounts.require(target.accountId());
            Instant now = Instant.now();
            RegionSnapshot full = inventory.collect(clients.connect(account, REGION), Map.of(),
                    new UsagePolicy(now, 90, UsageMode.LAST_USAGE, java.time.Duration.ofDays(1)));
            RegionSnapshot without = new RegionSnapshot(full.awsAccountId(), REGION, now,
                    full.keys().stream().filter(k -> !k.keyId().equals(UNUSED)).toList(), full.calls());
            return reconciler.reconcile(tenant, secondScan, target.accountId(), REGION, without,
                    RuleSettings.defaults(), Rules.judge(without.keys(), RuleSettings.defaults(), now));
        });

        assertThat(reconciled).isEqualTo(new FindingReconciler.Reconciled(2, 0, 1));
        assertThat(keys(target, REGION).get(UNUSED).get("removed_at")).isNotNull();
        assertThat(keys(target, REGION).get(DISABLED).get("removed_at")).isNull();
        assertThat(findingStatuses(target, REGION)).containsEntry(UNUSED + " KEY_UNUSED", "RESOLVED");
    }
}
