package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;

/** The pages of findings the hub caches follow every reconciled target and every removed account. */
class FindingPagesIntegrationTest extends EngineIntegrationTest {

    private static final String REGION = FindingLifecycleIntegrationTest.REGION;

    @Test
    void listsFollowRescansAndAccountRemoval() {
        Target target = register(FindingLifecycleIntegrationTest.ACCOUNT, REGION);
        ApiClient api = target.tenant().api();
        assertThat(openKeyIds(api)).isEmpty();

        scan(target, REGION, UUID.randomUUID());
        List<String> all = List.of(FindingLifecycleIntegrationTest.UNUSED, FindingLifecycleIntegrationTest.DISABLED,
                FindingLifecycleIntegrationTest.ROTATING);
        assertThat(openKeyIds(api)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(openKeyIds(api)).containsExactlyInAnyOrderElementsOf(all);

        sim().useKey(target.awsAccountId(), REGION, FindingLifecycleIntegrationTest.UNUSED, "Encrypt");
        scan(target, REGION, UUID.randomUUID());
        assertThat(openKeyIds(api)).containsExactlyInAnyOrder(FindingLifecycleIntegrationTest.DISABLED,
                FindingLifecycleIntegrationTest.ROTATING);

        assertThat(api.delete("/api/v1/accounts/" + target.accountId()).status()).isEqualTo(204);
        assertThat(openKeyIds(api)).isEmpty();
    }

    private static List<String> openKeyIds(ApiClient api) {
        ApiClient.Response page = api.get("/api/v1/findings?status=OPEN&limit=100");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> keyIds = new ArrayList<>();
        page.json().get("items").forEach(item -> keyIds.add(item.get("keyId").asString()));
        return keyIds;
    }
}
