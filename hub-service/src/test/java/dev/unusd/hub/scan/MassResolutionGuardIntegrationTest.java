package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Findings are resolved only on the word of the account they belong to, and never because ListKeys went quiet about
 * keys AWS cannot have deleted yet.
 */
class MassResolutionGuardIntegrationTest extends EngineIntegrationTest {

    private static final String ACCOUNT = """
            regions:
              us-east-1:
                keys:
                  - {id: 0000aaaa-0000-4000-8000-000000000001, createdAt: -200d, lastUsage: none}
                  - {id: 0000aaaa-0000-4000-8000-000000000002, createdAt: -200d, lastUsage: none}
                  - {id: 0000aaaa-0000-4000-8000-000000000003, createdAt: -200d, state: Disabled, lastUsage: none}
            """;

    /** Scheduled for deletion in 20 days. */
    private static final String PENDING_DELETION = """
                  - {id: 0000aaaa-0000-4000-8000-000000000004, createdAt: -200d, state: PendingDeletion,
                     deletionDate: +20d, lastUsage: none}
            """;

    @Test
    void aSessionInAnotherAccountsNameFailsTheTargetAndResolvesNothing() {
        Target target = register(ACCOUNT, "us-east-1");
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, String> before = findingStatuses(target, "us-east-1");
        assertThat(before).containsValue("OPEN");

        String other = dev.unusd.hub.support.TestSpokeSim.newAwsAccountId();
        sim().setSessionAccount(target.awsAccountId(), other);
        // The hub's cached session ends; the next one is assumed afresh.
        sim().expireSessions();
        try {
            TargetResult result = scan(target, "us-east-1", UUID.randomUUID());
            assertThat(result.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(result.error().code()).isEqualTo("ACCOUNT_MISMATCH");
            assertThat(result.error().message()).contains(other).contains(target.awsAccountId());
        } finally {
            sim().setSessionAccount(target.awsAccountId(), null);
        }
        assertThat(findingStatuses(target, "us-east-1")).isEqualTo(before);
    }

    @Test
    void enabledKeysMissingFromListKeysDaysAfterTheyWereSeenResolveNothing() {
        Target target = register(ACCOUNT, "us-east-1");
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        Map<String, String> before = findingStatuses(target, "us-east-1");

        // Gone without the 7 days of PendingDeletion AWS imposes: something other than a deletion happened.
        sim().deleteKeyNow(target.awsAccountId(), "us-east-1", "0000aaaa-0000-4000-8000-000000000001");
        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(result.error().code()).isEqualTo("INVENTORY_INCOMPLETE");
        assertThat(result.error().message()).contains("0000aaaa-0000-4000-8000-000000000001")
                .contains("NotFoundException");
        assertThat(findingStatuses(target, "us-east-1")).isEqualTo(before);
        assertThat(keys(target, "us-east-1").get("0000aaaa-0000-4000-8000-000000000001").get("removed_at")).isNull();
    }

    @Test
    void disabledAndPendingDeletionKeysMissingBeforeAwsCouldDeleteThemResolveNothing() {
        for (String keyId : List.of("0000aaaa-0000-4000-8000-000000000003", "0000aaaa-0000-4000-8000-000000000004")) {
            Target target = register(ACCOUNT + PENDING_DELETION, "us-east-1");
            assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
            Map<String, String> before = findingStatuses(target, "us-east-1");

            sim().deleteKeyNow(target.awsAccountId(), "us-east-1", keyId);
            TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

            assertThat(result.status()).as(keyId).isEqualTo(TargetStatus.FAILED);
            assertThat(result.error().code()).isEqualTo("INVENTORY_INCOMPLETE");
            assertThat(result.error().message()).contains(keyId).contains("NotFoundException");
            assertThat(findingStatuses(target, "us-east-1")).isEqualTo(before);
            assertThat(keys(target, "us-east-1").get(keyId).get("removed_at")).isNull();
        }
    }

    @Test
    void aKeyGoneAfterAwsCouldHaveDeletedItIsRemovedAsUsual() {
        Target target = register(ACCOUNT + PENDING_DELETION, "us-east-1");
        assertThat(scan(target, "us-east-1", UUID.randomUUID()).status()).isEqualTo(TargetStatus.SUCCEEDED);
        // The Disabled key last described 8 days ago; the pending one scheduled to go yesterday.
        store().sql("""
                UPDATE kms_keys SET metadata_read_at = now() - interval '8 days',
                    deletion_date = CASE WHEN state = 'PendingDeletion' THEN now() - interval '1 day' END
                WHERE account_id = :account AND key_id IN ('0000aaaa-0000-4000-8000-000000000003',
                                                           '0000aaaa-0000-4000-8000-000000000004')""")
                .param("account", target.accountId()).update();
        sim().deleteKeyNow(target.awsAccountId(), "us-east-1", "0000aaaa-0000-4000-8000-000000000003");
        sim().deleteKeyNow(target.awsAccountId(), "us-east-1", "0000aaaa-0000-4000-8000-000000000004");

        TargetResult result = scan(target, "us-east-1", UUID.randomUUID());

        assertThat(result.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(keys(target, "us-east-1").get("0000aaaa-0000-4000-8000-000000000003").get("removed_at")).isNotNull();
        assertThat(keys(target, "us-east-1").get("0000aaaa-0000-4000-8000-000000000004").get("removed_at")).isNotNull();
        assertThat(findingStatuses(target, "us-east-1")).containsEntry(
                "0000aaaa-0000-4000-8000-000000000003 KEY_UNUSED", "RESOLVED");
    }
}
