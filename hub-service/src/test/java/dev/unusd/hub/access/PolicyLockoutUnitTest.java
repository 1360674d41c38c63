package dev.unusd.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Who of the key's account may still call kms:PutKeyPolicy under a policy, counted only where it is certain. */
class PolicyLockoutUnitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OWN = "111122223333";
    private static final String ROOT_ARN = "arn:aws:iam::" + OWN + ":root";
    private static final String ADMIN_ARN = "arn:aws:iam::" + OWN + ":role/key-admin";

    @Test
    void theRootArnTheBareAccountIdARoleAndAUserOfTheAccountAreAdministrators() {
        assertThat(administrators(allow("\"" + ROOT_ARN + "\"", "\"kms:*\""))).containsExactly(ROOT_ARN);
        assertThat(administrators(allow("\"" + OWN + "\"", "\"*\""))).containsExactly(ROOT_ARN);
        assertThat(administrators(allow("[\"" + ADMIN_ARN + "\",\"arn:aws:iam::" + OWN + ":user/ops\"]",
                "\"kms:putkeypolicy\""))).containsExactly(ADMIN_ARN, "arn:aws:iam::" + OWN + ":user/ops");
    }

    @Test
    void anotherAccountAServiceAndActionsWithoutPutKeyPolicyDoNotCount() {
        assertThat(administrators(allow("\"arn:aws:iam::999988887777:root\"", "\"kms:*\""))).isEmpty();
        assertThat(administrators("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs.amazonaws.com\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}")).isEmpty();
        assertThat(administrators(allow("\"" + ROOT_ARN + "\"", "[\"kms:Get*\",\"kms:Decrypt\"]"))).isEmpty();
        assertThat(administrators("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROOT_ARN + "\"},"
                + "\"NotAction\":\"kms:Put*\",\"Resource\":\"*\"}")).isEmpty();
        assertThat(administrators("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROOT_ARN + "\"},"
                + "\"NotAction\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}")).containsExactly(ROOT_ARN);
    }

    @Test
    void aDenyThatMayReachTheAdministratorTakesItAwayWhateverItsCondition() {
        String root = allow("\"" + ROOT_ARN + "\"", "\"kms:*\"");
        assertThat(administrators(root, "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Put*\","
                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}"))
                .isEmpty();
        // NotPrincipal names the root, yet the roles and sessions that call for the account are not exempt.
        assertThat(administrators(root, "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"" + ROOT_ARN + "\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}")).isEmpty();
        // A Deny on the account reaches its roles.
        assertThat(administrators(allow("\"" + ADMIN_ARN + "\"", "\"kms:*\""), "{\"Effect\":\"Deny\",\"Principal\":"
                + "{\"AWS\":\"" + OWN + "\"},\"Action\":\"kms:PutKeyPolicy\",\"Resource\":\"*\"}")).isEmpty();
    }

    @Test
    void aDenyOfOtherActionsOrOfAnotherRoleLeavesTheAdministrator() {
        String root = allow("\"" + ROOT_ARN + "\"", "\"kms:*\"");
        assertThat(administrators(root, "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
                + "\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}")).containsExactly(ROOT_ARN);
        assertThat(administrators(root, "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":role/app\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}")).containsExactly(ROOT_ARN);
    }

    private static String allow(String principals, String actions) {
        return "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":" + principals + "},\"Action\":" + actions
                + ",\"Resource\":\"*\"}";
    }

    private static List<String> administrators(String... statements) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String statement : statements) {
            nodes.add(JSON.readTree(statement));
        }
        return PolicyLockout.administrators(nodes, OWN);
    }
}
