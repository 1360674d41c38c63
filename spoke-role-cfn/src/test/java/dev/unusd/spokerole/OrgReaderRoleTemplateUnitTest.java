package dev.unusd.spokerole;

import static dev.unusd.spokerole.TemplateEvaluation.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class OrgReaderRoleTemplateUnitTest {

    /** The calls the hub's account discovery makes (OrganizationReader in hub-service checks the same list). */
    static final List<String> DISCOVERY_ACTIONS = List.of("organizations:DescribeOrganization",
            "organizations:ListRoots", "organizations:ListOrganizationalUnitsForParent",
            "organizations:ListAccountsForParent", "organizations:ListTagsForResource");

    private final SpokeRoleTemplate template = SpokeRoleTemplate.orgReaderRole();
    private final Map<String, Object> properties = map(template.roles().get(0).get("Properties"));

    @Test
    void declaresExactlyOneRoleAndNothingElse() {
        assertThat(map(template.document().get("Resources"))).containsOnlyKeys("OrgReaderRole");
        assertThat(template.roles()).hasSize(1);
        assertThat(template.embeddedTemplates()).isEmpty();
    }

    @Test
    void policyAllowsExactlyTheReadCallsDiscoveryMakes() {
        assertThat(template.allowedActions()).containsExactlyInAnyOrderElementsOf(DISCOVERY_ACTIONS);
    }

    @Test
    void everyActionIsAReadOnlyOrganizationsCall() {
        Pattern readOnly = Pattern.compile("organizations:(List|Describe)[A-Za-z]+");
        assertThat(template.allowedActions()).allSatisfy(action -> assertThat(action).matches(readOnly));
    }

    @Test
    void onlyTheHubMayAssumeItUnderTheOrganisationsExternalId() {
        List<?> statements = (List<?>) map(properties.get("AssumeRolePolicyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        Map<String, Object> trust = map(statements.get(0));
        assertThat(trust.get("Action")).isEqualTo("sts:AssumeRole");
        assertThat(trust.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("sts:ExternalId", Map.of("Ref", "ExternalId"))));
        Object principal = map(trust.get("Principal")).get("AWS");
        Map<String, String> parameters = Map.of("HubPrincipal", "210987654321", "ExternalId",
                "0123456789abcdef0123456789abcdef");
        assertThat(new TemplateEvaluation(template.document(), parameters).resolve(principal))
                .isEqualTo("arn:aws:iam::210987654321:root");
    }

    @Test
    void roleGetsNothingBesidesItsInlinePolicyAndSessionsLastAnHour() {
        assertThat(properties).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
        assertThat(properties.get("MaxSessionDuration")).isEqualTo(3600);
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
    void parametersMatchTheSpokeRoleSoOneExternalIdFitsBoth() {
        Map<String, Object> reader = map(template.document().get("Parameters"));
        Map<String, Object> spoke = map(SpokeRoleTemplate.spokeRole().document().get("Parameters"));
        for (String name : List.of("HubPrincipal", "ExternalId")) {
            assertThat(map(reader.get(name)).get("AllowedPattern")).isEqualTo(map(spoke.get(name)).get("AllowedPattern"));
        }
        assertThat(map(reader.get("RoleName")).get("Default")).isEqualTo(SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME);
        assertThat(SpokeRoleTemplateUnitTest.groupedParameters(template))
                .containsExactlyInAnyOrderElementsOf(SpokeRoleTemplateUnitTest.parameterNames(template));
    }
}
