package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.KeyFixture.KEY_ID;
import static dev.unusd.hub.rule.KeyFixture.NOW;
import static dev.unusd.hub.rule.KeyFixture.customerKey;
import static dev.unusd.hub.rule.KeyFixture.neverUsed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.access.Grant;
import dev.unusd.hub.access.KeyPolicyAndGrants;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.tenant.TenantSettings;

/** KEY_POLICY_PUBLIC and KEY_CROSS_ACCOUNT_ACCESS on plain snapshots: evidence, remediation, trust, exemption. */
class KeyAccessRulesUnitTest {

    /** The fixture key's account. */
    private static final String OWN = "123456789012";
    private static final String PARTNER = "999988887777";
    private static final String DEFAULT_STATEMENT = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    private static final String DEFAULT_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[" + DEFAULT_STATEMENT + "]}";

    private final KeyPolicyPublicRule publicRule = new KeyPolicyPublicRule();
    private final KeyCrossAccountAccessRule crossAccount = new KeyCrossAccountAccessRule();

    @Test
    void aStatementOpenToAnyoneIsPublicWithTheStatementAndTheFixedPolicy() {
        KeySnapshot key = key(customerKey(), policy("{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":[\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}"), List.of());

        FindingDraft finding = holds(publicRule.judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.type()).isEqualTo(FindingType.KEY_POLICY_PUBLIC);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.suppressed()).isFalse();
        assertThat(finding.detail()).isEqualTo("Any AWS account, or an anonymous caller, may call kms:Decrypt,"
                + " kms:DescribeKey on this key (statement 1 (Sid Open)): no condition restricts who calls. Remove the"
                + " statement, or narrow it with kms:CallerAccount or aws:PrincipalOrgID.");
        assertThat(finding.evidence().get("statements")).isEqualTo(List.of("statement 1 (Sid Open)"));
        @SuppressWarnings("unchecked")
        Map<String, Object> principal = ((List<Map<String, Object>>) finding.evidence().get("principals")).get(0);
        assertThat(principal).containsEntry("principal", "*").containsEntry("principalType", "ANYONE")
                .containsEntry("actions", List.of("kms:Decrypt", "kms:DescribeKey")).containsEntry("trusted", false)
                .containsEntry("source", Map.of("statement", 1, "sid", "Open"));
        assertThat(finding.remediation()).containsExactly(
                "aws kms get-key-policy --key-id " + KEY_ID + " --policy-name default --query Policy --output text"
                        + " --region eu-west-1 > policy.json",
                "aws kms put-key-policy --key-id " + KEY_ID + " --policy-name default --policy '" + DEFAULT_POLICY
                        + "' --region eu-west-1",
                "aws kms tag-resource --key-id " + KEY_ID + " --tags TagKey=unusd,TagValue=true --region eu-west-1");
        // Public access is not repeated as cross-account access.
        assertThat(crossAccount.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(Verdict.CLEAR);
    }

    @Test
    void theExemptionTagSuppressesBothFindings() {
        KeyFixture exempt = customerKey().tags(Map.of("unusd", "true"));
        assertThat(holds(publicRule.judge(key(exempt, policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}"), List.of()), RuleSettings.defaults(), NOW)).suppressed())
                .isTrue();
        assertThat(holds(crossAccount.judge(key(exempt, DEFAULT_POLICY, List.of(grant(PARTNER))),
                RuleSettings.defaults(), NOW)).suppressed()).isTrue();
    }

    @Test
    void theDefaultKeyPolicyIsNeitherPublicNorCrossAccount() {
        KeySnapshot key = key(customerKey(), DEFAULT_POLICY, List.of());
        assertThat(publicRule.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(Verdict.CLEAR);
        assertThat(crossAccount.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(Verdict.CLEAR);
    }

    @Test
    void anOutsidePrincipalIsTakenOutOfItsStatementAndAnOutsideGrantRevoked() {
        KeySnapshot key = key(customerKey(), policy("{\"Sid\":\"Share\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "[\"arn:aws:iam::" + OWN + ":role/app\",\"" + PARTNER + "\"]},\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\"}"), List.of(grant(PARTNER)));

        FindingDraft finding = holds(crossAccount.judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.evidence().get("outsideAccounts")).isEqualTo(List.of(PARTNER));
        assertThat(finding.detail()).startsWith("arn:aws:iam::" + PARTNER + ":root (statement 1 (Sid Share));"
                + " arn:aws:iam::" + PARTNER + ":role/etl (grant g-1) can use or manage this key");
        assertThat(finding.remediation()).containsExactly(
                "aws kms get-key-policy --key-id " + KEY_ID + " --policy-name default --query Policy --output text"
                        + " --region eu-west-1 > policy.json",
                "aws kms put-key-policy --key-id " + KEY_ID + " --policy-name default --policy '{\"Version\":"
                        + "\"2012-10-17\",\"Statement\":[" + DEFAULT_STATEMENT + ",{\"Sid\":\"Share\",\"Effect\":"
                        + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN + ":role/app\"},\"Action\":"
                        + "\"kms:Decrypt\",\"Resource\":\"*\"}]}' --region eu-west-1",
                "aws kms revoke-grant --key-id " + KEY_ID + " --grant-id g-1 --region eu-west-1",
                "aws kms tag-resource --key-id " + KEY_ID + " --tags TagKey=unusd,TagValue=true --region eu-west-1");
    }

    @Test
    void bothFindingsOfferOneFixThatRemovesThePublicAndThePartnerStatement() {
        KeySnapshot key = key(customerKey(), policy("{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"},{\"Sid\":\"Partner\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + PARTNER + ":root\"},\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\"}"), List.of());

        FindingDraft critical = holds(publicRule.judge(key, RuleSettings.defaults(), NOW));
        FindingDraft high = holds(crossAccount.judge(key, RuleSettings.defaults(), NOW));

        String put = "aws kms put-key-policy --key-id " + KEY_ID + " --policy-name default --policy '"
                + DEFAULT_POLICY + "' --region eu-west-1";
        // Run in either order, neither command puts back what the other took out.
        assertThat(critical.remediation()).contains(put);
        assertThat(high.remediation()).contains(put);
        assertThat(critical.remediation()).noneMatch(c -> c.contains("\"Principal\":\"*\"") || c.contains(PARTNER));
        assertThat(high.remediation()).noneMatch(c -> c.contains("\"Principal\":\"*\"") || c.contains(PARTNER));
        String shared = " The put-key-policy command removes the public and the cross-account access together:"
                + " KEY_POLICY_PUBLIC and KEY_CROSS_ACCOUNT_ACCESS offer the same one.";
        assertThat(critical.detail()).endsWith(shared);
        assertThat(high.detail()).endsWith(shared);
    }

    @Test
    void onlyTheServiceBesideTheKeyAccountsRootLeavesItsStatement() {
        String statement = "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN
                + ":root\",\"Service\":\"events.amazonaws.com\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
        KeySnapshot key = key(customerKey(), "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}",
                List.of());

        FindingDraft finding = holds(crossAccount.judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.remediation()).contains("aws kms put-key-policy --key-id " + KEY_ID + " --policy-name"
                + " default --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Admin\",\"Effect\":"
                + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN + ":root\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"*\"}]}' --region eu-west-1");
    }

    @Test
    void accessADenyShapesGetsAnEditByHandAndNoCommandThatRemovesTheOnlyAllow() {
        KeySnapshot key = key(customerKey(), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Principal\":"
                + "\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
                + "{\"aws:PrincipalAccount\":[\"" + OWN + "\",\"" + PARTNER + "\"]}}}]}", List.of());

        FindingDraft finding = holds(crossAccount.judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.remediation()).noneMatch(c -> c.startsWith("aws kms put-key-policy"));
        assertThat(finding.detail()).endsWith(" No put-key-policy command is offered: a Deny statement shapes the"
                + " access. Edit policy.json by hand (statement 0: Deny statement 1 narrows it but still lets account "
                + PARTNER + " in; make the Deny's condition or NotPrincipal bar it too, or narrow this statement), then"
                + " put it back with aws kms put-key-policy --policy file://policy.json.");
    }

    @Test
    void noCommandWhenThePublicStatementIsTheOnlyWayToManageTheKey() {
        KeySnapshot key = key(customerKey(), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Open\","
                + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"App\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OWN + ":role/app\"},\"Action\":"
                + "\"kms:Decrypt\",\"Resource\":\"*\"}]}", List.of());

        FindingDraft finding = holds(publicRule.judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.remediation()).noneMatch(c -> c.startsWith("aws kms put-key-policy"));
        assertThat(finding.detail()).endsWith(" No put-key-policy command is offered: no statement left would let"
                + " anyone in account " + OWN + " manage the key (kms:PutKeyPolicy); KMS would refuse the policy."
                + " Edit policy.json by hand (statement 0 (Sid Open): remove the statement, which lets in no one but *;"
                + " let arn:aws:iam::" + OWN + ":root (as the default key policy does) or a key administrator role of"
                + " the account call kms:PutKeyPolicy in a statement without Condition that no Deny takes it from),"
                + " then put it back with aws kms put-key-policy --policy file://policy.json.");
    }

    @Test
    void registeredAndTrustedAccountsAreNotOutside() {
        KeySnapshot key = key(customerKey(), policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + PARTNER
                + "\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"), List.of(grant("444455556666")));
        TenantSettings defaults = TenantSettings.defaults();
        TenantSettings trusting = new TenantSettings(defaults.exceptionTag(), 90, 365, List.of("us-east-1"),
                defaults.schedule(), List.of(PARTNER), null);

        assertThat(crossAccount.judge(key, RuleSettings.of(trusting, Set.of("444455556666"), Set.of()), NOW))
                .isEqualTo(Verdict.CLEAR);
        assertThat(holds(crossAccount.judge(key, RuleSettings.of(trusting, Set.of(), Set.of()), NOW)).evidence()
                .get("outsideAccounts")).isEqualTo(List.of("444455556666"));
        assertThat(holds(crossAccount.judge(key, RuleSettings.of(defaults, Set.of("444455556666"), Set.of()), NOW)).evidence()
                .get("outsideAccounts")).isEqualTo(List.of(PARTNER));
    }

    @Test
    void anUnreadPolicyDecidesNothing() {
        KeySnapshot key = withAccess(customerKey().snapshot(), KeyPolicyAndGrants.read(null,
                "AccessDeniedException: not authorized to perform: kms:GetKeyPolicy", List.of(), null));

        assertThat(publicRule.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(new Verdict.Undecided(
                "key policy: keyPolicy AccessDeniedException: not authorized to perform: kms:GetKeyPolicy"));
        assertThat(crossAccount.judge(key, RuleSettings.defaults(), NOW)).isInstanceOf(Verdict.Undecided.class);
    }

    @Test
    void awsManagedKeysAreNotJudged() {
        KeySnapshot key = key(customerKey().awsManaged(), policy("{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"), List.of());
        assertThat(publicRule.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(Verdict.CLEAR);
        assertThat(crossAccount.judge(key, RuleSettings.defaults(), NOW)).isEqualTo(Verdict.CLEAR);
    }

    @Test
    void anUnusedKeyListsWhoCanStillUseIt() {
        KeySnapshot key = key(customerKey().usage(neverUsed()), DEFAULT_POLICY, List.of(grant(PARTNER)));

        FindingDraft finding = holds(new KeyUnusedRule().judge(key, RuleSettings.defaults(), NOW));

        assertThat(finding.evidence().get("canStillUse")).isEqualTo(List.of(
                Map.of("principal", "arn:aws:iam::" + OWN + ":root", "audience", Map.of("kind", "ACCOUNTS",
                        "accounts", List.of(OWN), "certain", true), "source", "statement 0 (Sid Enable IAM User"
                        + " Permissions)", "actions", List.of("kms:*"), "trusted", true),
                Map.of("principal", "arn:aws:iam::" + PARTNER + ":role/etl", "audience", Map.of("kind", "ACCOUNTS",
                        "accounts", List.of(PARTNER), "certain", true), "source", "grant g-1", "actions",
                        List.of("kms:Decrypt"), "trusted", false)));
    }

    private static String policy(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + DEFAULT_STATEMENT + "," + statement + "]}";
    }

    private static Grant grant(String account) {
        return new Grant("g-1", "etl", "arn:aws:iam::" + account + ":role/etl", null, List.of("Decrypt"), OWN, false);
    }

    private static KeySnapshot key(KeyFixture fixture, String policy, List<Grant> grants) {
        return withAccess(fixture.snapshot(), KeyPolicyAndGrants.read(policy, null, grants, null));
    }

    private static KeySnapshot withAccess(KeySnapshot s, KeyPolicyAndGrants access) {
        return new KeySnapshot(s.keyId(), s.arn(), s.aliases(), s.metadata(), s.rotation(), s.tags(), s.usage(),
                s.unknown(), access);
    }

    private static FindingDraft holds(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Holds.class);
        return ((Verdict.Holds) verdict).finding();
    }
}
