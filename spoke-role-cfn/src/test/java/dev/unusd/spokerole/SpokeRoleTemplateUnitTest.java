package dev.unusd.spokerole;

import static dev.unusd.spokerole.TemplateEvaluation.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpokeRoleTemplateUnitTest {

    static final List<String> HUB_ACTIONS = List.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey",
            "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyRotations", "kms:GetKeyLastUsage",
            "kms:GetKeyPolicy", "kms:ListGrants",
            "cloudtrail:LookupEvents");

    private final SpokeRoleTemplate template = SpokeRoleTemplate.spokeRole();
    private final Map<String, Object> role = template.roles().get(0);
    private final Map<String, Object> properties = map(role.get("Properties"));

    @Test
    void declaresExactlyOneRoleAndNothingElse() {
        assertThat(map(template.document().get("Resources"))).containsOnlyKeys("SpokeRole");
        assertThat(template.roles()).hasSize(1);
        assertThat(template.embeddedTemplates()).isEmpty();
    }

    @Test
    void onlyTheHubAccountMayAssumeTheRoleWhenGivenAnAccountId() {
        assertThat(trustedPrincipal("210987654321")).isEqualTo("arn:aws:iam::210987654321:root");
    }

    @Test
    void onlyTheHubRoleMayAssumeTheRoleWhenGivenARoleArn() {
        String hubRole = "arn:aws:iam::210987654321:role/unusd-hub";
        assertThat(trustedPrincipal(hubRole)).isEqualTo(hubRole);
    }

    @Test
    void trustHasOneStatementAllowingOnlyAssumeRoleUnderTheExternalId() {
        List<?> statements = (List<?>) map(properties.get("AssumeRolePolicyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        Map<String, Object> trust = map(statements.get(0));
        assertThat(trust).containsOnlyKeys("Sid", "Effect", "Principal", "Action", "Condition");
        assertThat(trust.get("Effect")).isEqualTo("Allow");
        assertThat(map(trust.get("Principal"))).containsOnlyKeys("AWS");
        assertThat(trust.get("Action")).isEqualTo("sts:AssumeRole");
        assertThat(trust.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("sts:ExternalId", Map.of("Ref", "ExternalId"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0123456789abcdef0123456789abcdef", // 32 hex characters
            "3f2a9c1e-7b4d-4e8a-9f06-2c5d8e1b7a43-ab12cd34", // UUID plus suffix
            "Zk3q_v9Lw-8sT2xYb4NcR7mJ0pHdE6uA1oKiGfW5e-Q", // 32 random bytes, base64url
            "unusd:tenant-42:acct-7:9f06c5d8e1b7a43ab12cd34ef56" })
    void externalIdAcceptsWhatTheHubGenerates(String externalId) {
        assertThat(externalId).matches(allowedPattern("ExternalId"));
        assertThat(externalId.length()).isGreaterThanOrEqualTo(minLength("ExternalId"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "short", "0123456789abcdef0123456789abcde", "0123456789abcdef 0123456789abcdef",
            "0123456789abcdef0123456789abcdef*" })
    void externalIdRejectsShortOrMalformedValues(String externalId) {
        boolean accepted = externalId.length() >= minLength("ExternalId")
                && allowedPattern("ExternalId").matcher(externalId).matches();
        assertThat(accepted).isFalse();
    }

    @Test
    void externalIdNeedsAtLeast32Characters() {
        assertThat(minLength("ExternalId")).isEqualTo(32);
        assertThat(parameter("ExternalId")).doesNotContainKey("Default");
    }

    @ParameterizedTest
    @ValueSource(strings = { "123456789012", "arn:aws:iam::123456789012:role/unusd-hub",
            "arn:aws-us-gov:iam::123456789012:role/path/unusd-hub" })
    void hubPrincipalAcceptsAnAccountIdOrARoleArn(String principal) {
        assertThat(principal).matches(allowedPattern("HubPrincipal"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "12345678901", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/bob",
            "arn:aws:iam::*:role/unusd-hub" })
    void hubPrincipalRejectsWildcardsUsersAndRoots(String principal) {
        assertThat(allowedPattern("HubPrincipal").matcher(principal).matches()).isFalse();
    }

    @Test
    void roleIsNamedUnusdSpokeRoleByDefault() {
        assertThat(parameter("RoleName").get("Default")).isEqualTo(SpokeRoleTemplate.DEFAULT_ROLE_NAME)
                .isEqualTo("UnusdSpokeRole");
        assertThat(properties.get("RoleName")).isEqualTo(Map.of("Ref", "RoleName"));
    }

    @Test
    void sessionsLastAtMostOneHour() {
        assertThat(properties.get("MaxSessionDuration")).isEqualTo(3600);
    }

    @Test
    void policyAllowsExactlyTheHubsReadActions() {
        assertThat(template.allowedActions()).containsExactlyInAnyOrderElementsOf(HUB_ACTIONS);
    }

    @Test
    void everyActionIsANamedReadOnlyCall() {
        Pattern readOnly = Pattern.compile("(kms|cloudtrail):(List|Describe|Get|Lookup)[A-Za-z]+");
        assertThat(template.allowedActions()).allSatisfy(action -> assertThat(action).matches(readOnly));
    }

    @Test
    void roleGetsNoPermissionsBesidesItsInlinePolicy() {
        assertThat(properties).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : (List<?>) properties.get("Policies")) {
            ((List<?>) map(map(policy).get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s)));
        }
        assertThat(statements).allSatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(statement).doesNotContainKeys("NotAction", "NotResource", "Condition");
        });
    }

    @Test
    void roleArnIsAnOutput() {
        Map<String, Object> output = map(map(template.document().get("Outputs")).get("RoleArn"));
        assertThat(output.get("Value")).isEqualTo(Map.of("Fn::GetAtt", List.of("SpokeRole", "Arn")));
    }

    @Test
    void parameterGroupsShowEveryParameterOnce() {
        assertThat(groupedParameters(template)).containsExactlyInAnyOrderElementsOf(parameterNames(template));
        assertThat(labelledParameters(template)).containsExactlyInAnyOrderElementsOf(parameterNames(template));
    }

    @Test
    void allowedActionsReadsASingleStatementObject() {
        SpokeRoleTemplate single = SpokeRoleTemplate.of("single.yaml", """
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      Policies:
                        - PolicyName: one
                          PolicyDocument:
                            Statement:
                              Effect: Allow
                              Action: kms:ListKeys
                              Resource: "*"
                """);
        assertThat(single.allowedActions()).containsExactly("kms:ListKeys");
    }

    static List<String> groupedParameters(SpokeRoleTemplate template) {
        List<String> grouped = new ArrayList<>();
        for (Object group : (List<?>) interfaceMetadata(template).get("ParameterGroups")) {
            ((List<?>) map(group).get("Parameters")).forEach(p -> grouped.add((String) p));
        }
        return grouped;
    }

    static List<String> labelledParameters(SpokeRoleTemplate template) {
        return List.copyOf(map(interfaceMetadata(template).get("ParameterLabels")).keySet());
    }

    static List<String> parameterNames(SpokeRoleTemplate template) {
        return List.copyOf(map(template.document().get("Parameters")).keySet());
    }

    private static Map<String, Object> interfaceMetadata(SpokeRoleTemplate template) {
        return map(map(template.document().get("Metadata")).get("AWS::CloudFormation::Interface"));
    }

    private String trustedPrincipal(String hubPrincipal) {
        Map<String, Object> trust = map(((List<?>) map(properties.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        Object principal = map(trust.get("Principal")).get("AWS");
        return (String) new TemplateEvaluation(template.document(),
                Map.of("HubPrincipal", hubPrincipal, "ExternalId", "0123456789abcdef0123456789abcdef"))
                .resolve(principal);
    }

    private Map<String, Object> parameter(String name) {
        return map(map(template.document().get("Parameters")).get(name));
    }

    private Pattern allowedPattern(String name) {
        return Pattern.compile((String) parameter(name).get("AllowedPattern"));
    }

    private int minLength(String name) {
        return (Integer) parameter(name).get("MinLength");
    }
}
