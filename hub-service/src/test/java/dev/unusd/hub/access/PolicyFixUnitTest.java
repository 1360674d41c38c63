package dev.unusd.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The fixed key policy: only the exposed principal value leaves its statement, and whatever a Principal edit cannot fix
 * safely (a condition, a Deny, NotPrincipal, a policy nobody of the key's account could manage any more) is left to a
 * person with the statement and value to change, never a command.
 */
class PolicyFixUnitTest {

    private static final String OWN = "111122223333";
    private static final String PARTNER = "999988887777";
    private static final String ROOT = "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + OWN + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    private static final String OPEN_DECRYPT = "{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    private static final String APP_DECRYPT = "{\"Sid\":\"App\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::" + OWN + ":role/app\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    private static final String LOCKED_OUT = "no statement left would let anyone in account " + OWN + " manage the key"
            + " (kms:PutKeyPolicy); KMS would refuse the policy";
    private static final String ADD_ADMINISTRATOR = "let arn:aws:iam::" + OWN + ":root (as the default key policy"
            + " does) or a key administrator role of the account call kms:PutKeyPolicy in a statement without"
            + " Condition that no Deny takes it from";
    private static final Trust TRUST = new Trust(Set.of(OWN), Set.of());

    @Test
    void aServiceBesideTheKeyAccountsRootLeavesAndTheRootStays() {
        PolicyFix fix = fix(TRUST, "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN + ":root\","
                + "\"Service\":\"events.amazonaws.com\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isEqualTo(policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"));
        assertThat(fix.edits()).containsExactly("statement 0: take events.amazonaws.com out of its Principal");
    }

    @Test
    void aStarBesideTheKeyAccountsRootLeavesAndTheRootStays() {
        PolicyFix fix = fix(TRUST, "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::" + OWN + ":root\","
                + "\"*\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isEqualTo(policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"));
    }

    @Test
    void aStatementThatLetsInOnlyTheExposedPrincipalsGoes() {
        PolicyFix fix = fix(TRUST, ROOT, "{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                + "\"kms:Decrypt\",\"Resource\":\"*\"}", "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"" + PARTNER
                + "\",\"*\"]},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isEqualTo(policy(ROOT));
        assertThat(fix.edits()).containsExactly(
                "statement 1 (Sid Open): remove the statement, which lets in no one but *",
                "statement 2: remove the statement, which lets in no one but *, arn:aws:iam::" + PARTNER + ":root");
    }

    @Test
    void aConditionAdmittingTheKeyAccountAndAnOutsideOneIsEditedByHand() {
        PolicyFix fix = fix(TRUST, "{\"Sid\":\"Callers\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":[\"" + OWN + "\",\""
                + PARTNER + "\"]}}}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo("a condition admits trusted and outside accounts together");
        assertThat(fix.edits()).containsExactly("statement 0 (Sid Callers): take account " + PARTNER
                + " out of its condition kms:CallerAccount, which also admits " + OWN);
    }

    @Test
    void accessADenyNarrowsIsEditedByHandNotByRemovingTheOnlyAllow() {
        PolicyFix fix = fix(TRUST, "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"StringNotEquals\":{\"aws:PrincipalAccount\":[\"" + OWN + "\",\"" + PARTNER + "\"]}}}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo("a Deny statement shapes the access");
        assertThat(fix.edits()).containsExactly("statement 0: Deny statement 1 narrows it but still lets account "
                + PARTNER + " in; make the Deny's condition or NotPrincipal bar it too, or narrow this statement");
    }

    @Test
    void aNotPrincipalDenyThatSparesAnOutsideAccountIsEditedByHand() {
        String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::" + OWN + ":root\","
                + "\"arn:aws:iam::" + PARTNER + ":root\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        for (String principal : List.of("{\"AWS\":\"*\"}", "\"*\"")) {
            PolicyFix fix = fix(TRUST, "{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"kms:*\","
                    + "\"Resource\":\"*\"}", deny);

            assertThat(fix.policy()).as(principal).isNull();
            assertThat(fix.edits()).as(principal).containsExactly("statement 0: Deny statement 1 narrows it but still"
                    + " lets account " + PARTNER + " in; make the Deny's condition or NotPrincipal bar it too, or"
                    + " narrow this statement");
        }
    }

    @Test
    void anAllowWithNotPrincipalIsEditedByHand() {
        PolicyFix fix = fix(TRUST, ROOT, "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":role/x\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.edits()).containsExactly("statement 1: it allows everyone but its NotPrincipal; name who may use"
                + " the key in a Principal instead");
    }

    @Test
    void noCommandWouldLeaveNoAllowStatement() {
        PolicyFix fix = fix(TRUST, "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"*\"}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo(LOCKED_OUT);
        assertThat(fix.edits()).containsExactly("statement 0: remove the statement, which lets in no one but *",
                ADD_ADMINISTRATOR);
    }

    @Test
    void noCommandWhenThePublicStatementIsTheOnlyWayToManageTheKey() {
        PolicyFix fix = fix(TRUST, "{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\","
                + "\"Resource\":\"*\"}", APP_DECRYPT);

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo(LOCKED_OUT);
        assertThat(fix.edits()).containsExactly(
                "statement 0 (Sid Open): remove the statement, which lets in no one but *", ADD_ADMINISTRATOR);
    }

    @Test
    void theDefaultRootStatementKeepsTheKeyManageable() {
        PolicyFix fix = fix(TRUST, ROOT, OPEN_DECRYPT, APP_DECRYPT);

        assertThat(fix.byHand()).isNull();
        assertThat(fix.policy()).isEqualTo(policy(ROOT, APP_DECRYPT));
    }

    @Test
    void aKeyAdministratorRoleOfTheAccountKeepsTheKeyManageable() {
        String admin = "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":role/key-admin\"},\"Action\":[\"kms:Describe*\",\"KMS:Put*\"],\"Resource\":\"*\"}";

        PolicyFix fix = fix(TRUST, admin, OPEN_DECRYPT);

        assertThat(fix.byHand()).isNull();
        assertThat(fix.policy()).isEqualTo(policy(admin));
    }

    @Test
    void anAdministratorStatementWithAConditionDoesNotCount() {
        String admin = "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":role/key-admin\"},\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                + "{\"aws:MultiFactorAuthPresent\":\"true\"}}}";

        PolicyFix fix = fix(TRUST, admin, OPEN_DECRYPT);

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo(LOCKED_OUT);
    }

    @Test
    void aDenyOfPutKeyPolicyToEveryoneLeavesNobodyToManageTheKey() {
        PolicyFix fix = fix(TRUST, ROOT, OPEN_DECRYPT, "{\"Sid\":\"Frozen\",\"Effect\":\"Deny\",\"Principal\":"
                + "{\"AWS\":\"*\"},\"Action\":\"kms:PutKeyPolicy\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo(LOCKED_OUT);
        assertThat(fix.edits()).containsExactly(
                "statement 1 (Sid Open): remove the statement, which lets in no one but *", ADD_ADMINISTRATOR);
    }

    @Test
    void noCommandTakesTheKeyAccountsRootAwayWhateverTheTrust() {
        // A trust that leaves the key's own account out would make its root an exposure.
        PolicyFix fix = fix(new Trust(Set.of(PARTNER), Set.of()), ROOT, "{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::" + PARTNER + ":role/app\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo(LOCKED_OUT);
    }

    @Test
    void aPrincipalNotWrittenAsReadGivesNoCommandThatWouldChangeNothing() {
        Exposure read = Exposure.judge(KeyPolicyEvaluator.evaluate(policy(ROOT, "{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"" + PARTNER + "\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"), List.of()), TRUST);
        String other = policy(ROOT, "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":role/app\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

        PolicyFix fix = PolicyFix.of(other, OWN, read.outside()).orElseThrow();

        assertThat(fix.policy()).isNull();
        assertThat(fix.byHand()).isEqualTo("a principal is not written as the evaluator read it");
    }

    @Test
    void grantsAloneNeedNoPolicyEdit() {
        Exposure exposure = Exposure.judge(KeyPolicyEvaluator.evaluate(policy(ROOT), List.of(new Grant("g-1", null,
                "arn:aws:iam::" + PARTNER + ":role/etl", null, List.of("Decrypt"), OWN, false))), TRUST);

        assertThat(exposure.outside()).hasSize(1);
        assertThat(PolicyFix.of(policy(ROOT), OWN, exposure.outside())).isEmpty();
    }

    private static PolicyFix fix(Trust trust, String... statements) {
        String policy = policy(statements);
        Exposure exposure = Exposure.judge(KeyPolicyEvaluator.evaluate(policy, List.of()), trust);
        List<Exposure.Exposed> all = new ArrayList<>(exposure.publicAccess());
        all.addAll(exposure.outside());
        assertThat(all).as(policy).isNotEmpty();
        return PolicyFix.of(policy, OWN, all).orElseThrow();
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }
}
