package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/accounts/{id}/verify: one check per permission, and the account's status follows. */
class SpokeVerificationIntegrationTest extends EngineIntegrationTest {

    static final String ACCOUNT = """
            regions:
              eu-west-1:
                keys:
                  - {spec: RSA_2048, usage: SIGN_VERIFY}
            """;
    static final List<String> ACTIONS = List.of("sts:AssumeRole", "kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
            "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyRotations", "kms:GetKeyLastUsage",
            "cloudtrail:LookupEvents");

    @Test
    void aDeployedRoleWithTheTemplatesPermissionsIsConnected() {
        Target target = register(ACCOUNT, "eu-west-1", "us-east-1");

        ApiClient.Response response = target.tenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify",
                "{}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(body.get("checkedAt").asString()).endsWith("Z");
        assertThat(actions(body)).containsExactlyElementsOf(ACTIONS);
        body.get("checks").forEach(check -> {
            assertThat(check.get("region").asString()).isEqualTo("eu-west-1");
            assertThat(check.get("ok").asBoolean()).as(check.toString()).isTrue();
            assertThat(check.get("error").isNull()).isTrue();
        });
        assertThat(status(target)).isEqualTo("CONNECTED");
    }

    @Test
    void aRegionWithoutKeysIsCheckedOnAKeyThatDoesNotExist() {
        Target target = register("regions: {}\n", "ap-southeast-2");

        JsonNode body = target.tenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}").json();

        assertThat(body.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(actions(body)).containsExactlyElementsOf(ACTIONS);
    }

    @Test
    void aRoleMissingOnePermissionFailsWithThatPermissionNamed() {
        Target target = register(ACCOUNT, "eu-west-1");
        Set<String> actions = new HashSet<>(SpokeSim.templateActions());
        actions.remove("kms:ListResourceTags");
        sim().setRoleActions(target.awsAccountId(), ROLE, actions);

        JsonNode body = target.tenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}").json();

        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        List<String> failed = new ArrayList<>();
        body.get("checks").forEach(check -> {
            if (!check.get("ok").asBoolean()) {
                failed.add(check.get("action").asString());
                assertThat(check.get("error").asString()).startsWith("The spoke role may not call kms:ListResourceTags:"
                        + " AccessDeniedException: User: arn:aws:sts::" + target.awsAccountId()
                        + ":assumed-role/UnusdSpokeRole/unusd-hub-");
            }
        });
        assertThat(failed).containsExactly("kms:ListResourceTags");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void anUndeployedRoleFailsAtAssumeRole() {
        Scenario.Account account = TestSpokeSim.addAccount(ACCOUNT);
        Target target = registerIn(newTenant(), account, false, "eu-west-1");

        JsonNode body = target.tenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}").json();

        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        assertThat(actions(body)).containsExactly("sts:AssumeRole");
        assertThat(body.get("checks").get(0).get("error").asString()).startsWith("The hub may not assume arn:aws:iam::"
                + account.id() + ":role/UnusdSpokeRole (AccessDenied)");
        assertThat(status(target)).isEqualTo("FAILED");
    }

    @Test
    void anotherTenantsAccountIsNotFound() {
        Target target = register(ACCOUNT, "eu-west-1");

        ApiClient.Response response = newTenant().api().post("/api/v1/accounts/" + target.accountId() + "/verify", "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static List<String> actions(JsonNode body) {
        List<String> actions = new ArrayList<>();
        body.get("checks").forEach(check -> actions.add(check.get("action").asString()));
        return actions;
    }

    private static String status(Target target) {
        return target.tenant().api().get("/api/v1/accounts/" + target.accountId()).json().get("status").asString();
    }
}
