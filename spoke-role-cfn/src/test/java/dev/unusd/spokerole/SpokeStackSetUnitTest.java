package dev.unusd.spokerole;

import static dev.unusd.spokerole.TemplateEvaluation.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpokeStackSetUnitTest {

    private static final List<String> ROLE_PARAMETERS = List.of("HubPrincipal", "ExternalId", "RoleName");

    private final SpokeRoleTemplate stackSet = SpokeRoleTemplate.stackSet();
    private final SpokeRoleTemplate spokeRole = SpokeRoleTemplate.spokeRole();
    private final Map<String, Object> properties =
            map(map(map(stackSet.document().get("Resources")).get("SpokeRoleStackSet")).get("Properties"));

    @Test
    void embedsTheSpokeRoleTemplateUnchanged() {
        assertThat(stackSet.embeddedTemplates()).hasSize(1);
        SpokeRoleTemplate embedded = stackSet.embeddedTemplates().get(0);
        assertThat(embedded.name()).isEqualTo("spoke-stackset.yaml#SpokeRoleStackSet.TemplateBody");
        assertThat(driftedSections(embedded, spokeRole))
                .as("TemplateBody of spoke-stackset.yaml differs from spoke-role.yaml: paste spoke-role.yaml into it again")
                .isEmpty();
    }

    @Test
    void parityCheckNoticesADriftedRole() {
        SpokeRoleTemplate drifted = SpokeRoleTemplate.of("drifted.yaml",
                stackSet.embeddedTemplates().get(0).text().replace("kms:ListKeys", "kms:Decrypt"));
        assertThat(driftedSections(drifted, spokeRole)).containsExactly("Resources");
    }

    @Test
    void grantsTheSameActionsAsTheSpokeRole() {
        assertThat(stackSet.allowedActions()).isEqualTo(spokeRole.allowedActions())
                .containsExactlyInAnyOrderElementsOf(SpokeRoleTemplateUnitTest.HUB_ACTIONS);
        assertThat(stackSet.roles()).hasSize(1);
    }

    @Test
    void roleParametersAreConstrainedExactlyAsInTheSpokeRole() {
        // otherwise a value accepted here would fail in every account, after the rollout has started
        for (String name : ROLE_PARAMETERS) {
            Map<String, Object> outer = new TreeMap<>(parameter(stackSet, name));
            Map<String, Object> inner = new TreeMap<>(parameter(spokeRole, name));
            outer.remove("Description");
            inner.remove("Description");
            assertThat(outer).as(name).isEqualTo(inner);
        }
    }

    @Test
    void passesEveryRoleParameterToTheStackInstances() {
        assertThat(properties.get("Parameters")).isEqualTo(List.of(
                Map.of("ParameterKey", "HubPrincipal", "ParameterValue", Map.of("Ref", "HubPrincipal")),
                Map.of("ParameterKey", "ExternalId", "ParameterValue", Map.of("Ref", "ExternalId")),
                Map.of("ParameterKey", "RoleName", "ParameterValue", Map.of("Ref", "RoleName"))));
        assertThat(SpokeRoleTemplateUnitTest.parameterNames(spokeRole)).containsExactlyInAnyOrderElementsOf(ROLE_PARAMETERS);
    }

    @Test
    void isServiceManagedAndFollowsTheOrganisation() {
        assertThat(properties.get("PermissionModel")).isEqualTo("SERVICE_MANAGED");
        assertThat(properties.get("AutoDeployment"))
                .isEqualTo(Map.of("Enabled", true, "RetainStacksOnAccountRemoval", false));
        assertThat(properties.get("Capabilities")).isEqualTo(List.of("CAPABILITY_NAMED_IAM"));
        assertThat(properties).doesNotContainKeys("TemplateURL", "AdministrationRoleARN", "ExecutionRoleName");
    }

    @Test
    void deploysToTheGivenOrganisationalUnitsInOneRegion() {
        assertThat(properties.get("StackInstancesGroup")).isEqualTo(List.of(Map.of(
                "DeploymentTargets", Map.of("OrganizationalUnitIds", Map.of("Ref", "OrganizationalUnitIds")),
                "Regions", List.of(Map.of("Ref", "DeploymentRegion")))));
        assertThat(parameter(stackSet, "OrganizationalUnitIds").get("Type")).isEqualTo("CommaDelimitedList");
        assertThat(parameter(stackSet, "DeploymentRegion").get("Default")).isEqualTo("us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ou-ab12-abcd1234", "ou-a1b2c3-0123456789abcdef", "r-ab12" })
    void organisationalUnitPatternAcceptsOuAndRootIds(String id) {
        assertThat(id).matches(allowedPattern("OrganizationalUnitIds"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "123456789012", "ou-", "ou-ab12", "OU-AB12-ABCD1234", "o-abcd123456", "" })
    void organisationalUnitPatternRejectsAccountsAndOrganisationIds(String id) {
        assertThat(allowedPattern("OrganizationalUnitIds").matcher(id).matches()).isFalse();
    }

    @Test
    void callAsIsSelfOrDelegatedAdmin() {
        assertThat(properties.get("CallAs")).isEqualTo(Map.of("Ref", "CallAs"));
        assertThat(parameter(stackSet, "CallAs").get("AllowedValues")).isEqualTo(List.of("SELF", "DELEGATED_ADMIN"));
        assertThat(parameter(stackSet, "CallAs").get("Default")).isEqualTo("SELF");
    }

    @Test
    void rolloutConcurrencyAndFailureToleranceAreBounded() {
        assertThat(properties.get("OperationPreferences")).isEqualTo(Map.of(
                "MaxConcurrentPercentage", Map.of("Ref", "MaxConcurrentPercentage"),
                "FailureTolerancePercentage", Map.of("Ref", "FailureTolerancePercentage")));
        assertThat(parameter(stackSet, "MaxConcurrentPercentage"))
                .containsEntry("Type", "Number").containsEntry("MinValue", 1).containsEntry("MaxValue", 100);
        assertThat(parameter(stackSet, "FailureTolerancePercentage"))
                .containsEntry("Type", "Number").containsEntry("MinValue", 0).containsEntry("MaxValue", 100);
    }

    @Test
    void parameterGroupsShowEveryParameterOnce() {
        assertThat(SpokeRoleTemplateUnitTest.groupedParameters(stackSet))
                .containsExactlyInAnyOrderElementsOf(SpokeRoleTemplateUnitTest.parameterNames(stackSet));
        assertThat(SpokeRoleTemplateUnitTest.labelledParameters(stackSet))
                .containsExactlyInAnyOrderElementsOf(SpokeRoleTemplateUnitTest.parameterNames(stackSet));
    }

    /** The top-level sections (Parameters, Conditions, Resources, Outputs, ...) in which the two templates differ. */
    static List<String> driftedSections(SpokeRoleTemplate a, SpokeRoleTemplate b) {
        Set<String> sections = new TreeSet<>(a.document().keySet());
        sections.addAll(b.document().keySet());
        return sections.stream().filter(s -> !Objects.equals(a.document().get(s), b.document().get(s))).toList();
    }

    private static Map<String, Object> parameter(SpokeRoleTemplate template, String name) {
        return map(map(template.document().get("Parameters")).get(name));
    }

    private Pattern allowedPattern(String name) {
        return Pattern.compile((String) parameter(stackSet, name).get("AllowedPattern"));
    }
}
