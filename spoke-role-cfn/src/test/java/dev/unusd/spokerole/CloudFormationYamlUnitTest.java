package dev.unusd.spokerole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;

class CloudFormationYamlUnitTest {

    private static final Map<String, String> LONG_FORMS = Map.ofEntries(Map.entry("Ref", "Ref"),
            Map.entry("Condition", "Condition"), Map.entry("And", "Fn::And"), Map.entry("Base64", "Fn::Base64"),
            Map.entry("Cidr", "Fn::Cidr"), Map.entry("Equals", "Fn::Equals"), Map.entry("FindInMap", "Fn::FindInMap"),
            Map.entry("GetAtt", "Fn::GetAtt"), Map.entry("GetAZs", "Fn::GetAZs"), Map.entry("If", "Fn::If"),
            Map.entry("ImportValue", "Fn::ImportValue"), Map.entry("Join", "Fn::Join"), Map.entry("Not", "Fn::Not"),
            Map.entry("Or", "Fn::Or"), Map.entry("Select", "Fn::Select"), Map.entry("Split", "Fn::Split"),
            Map.entry("Sub", "Fn::Sub"), Map.entry("Transform", "Fn::Transform"), Map.entry("Length", "Fn::Length"),
            Map.entry("ToJsonString", "Fn::ToJsonString"));

    static Stream<Arguments> shortForms() {
        return LONG_FORMS.entrySet().stream().filter(e -> !e.getKey().equals("GetAtt"))
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "!{0} -> {1}")
    @MethodSource("shortForms")
    void eachShortFormTagBecomesItsLongForm(String tag, String longForm) {
        assertThat(CloudFormationYaml.parse("v: !" + tag + " x")).isEqualTo(Map.of("v", Map.of(longForm, "x")));
        assertThat(CloudFormationYaml.parse("v: !" + tag + " [a, b]"))
                .isEqualTo(Map.of("v", Map.of(longForm, List.of("a", "b"))));
    }

    @Test
    void everyFunctionTheReaderKnowsIsCoveredHere() {
        assertThat(LONG_FORMS.keySet()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(Stream.of("Ref"), CloudFormationYaml.FUNCTIONS.stream()).toList());
    }

    @Test
    void getAttDottedFormSplitsAtTheFirstDotOnly() {
        assertThat(CloudFormationYaml.parse("v: !GetAtt SpokeRole.Arn"))
                .isEqualTo(Map.of("v", Map.of("Fn::GetAtt", List.of("SpokeRole", "Arn"))));
        assertThat(CloudFormationYaml.parse("v: !GetAtt Db.Endpoint.Address"))
                .isEqualTo(Map.of("v", Map.of("Fn::GetAtt", List.of("Db", "Endpoint.Address"))));
    }

    @Test
    void getAttListFormIsKept() {
        assertThat(CloudFormationYaml.parse("v: !GetAtt [SpokeRole, Arn]"))
                .isEqualTo(Map.of("v", Map.of("Fn::GetAtt", List.of("SpokeRole", "Arn"))));
    }

    @Test
    void nestedTagsBecomeNestedLongForms() {
        Map<String, Object> parsed = CloudFormationYaml.parse("""
                v: !If
                  - HubIsAccountId
                  - !Sub "arn:${AWS::Partition}:iam::${HubPrincipal}:root"
                  - !Join [":", [!Ref A, !GetAtt B.Arn, !Select [0, !Split [",", !Ref C]]]]
                """);
        assertThat(parsed).isEqualTo(Map.of("v", Map.of("Fn::If", List.of(
                "HubIsAccountId",
                Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${HubPrincipal}:root"),
                Map.of("Fn::Join", List.of(":", List.of(
                        Map.of("Ref", "A"),
                        Map.of("Fn::GetAtt", List.of("B", "Arn")),
                        Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", Map.of("Ref", "C"))))))))))));
    }

    @Test
    void mappingArgumentsAreKept() {
        assertThat(CloudFormationYaml.parse("v: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}"))
                .isEqualTo(Map.of("v", Map.of("Fn::Transform",
                        Map.of("Name", "AWS::Include", "Parameters", Map.of("Location", "s3://b/k")))));
        assertThat(CloudFormationYaml.parse("v: !Sub [\"${A}-x\", {A: !Ref B}]"))
                .isEqualTo(Map.of("v", Map.of("Fn::Sub", List.of("${A}-x", Map.of("A", Map.of("Ref", "B"))))));
    }

    @Test
    void tagsInsideFlowAndBlockCollectionsAreRead() {
        assertThat(CloudFormationYaml.parse("v: [!Ref A, {k: !Ref B}]"))
                .isEqualTo(Map.of("v", List.of(Map.of("Ref", "A"), Map.of("k", Map.of("Ref", "B")))));
    }

    @Test
    void unknownTagsAreRejected() {
        assertThatThrownBy(() -> CloudFormationYaml.parse("v: !Reff A")).isInstanceOf(ConstructorException.class)
                .hasMessageContaining("!Reff");
    }

    @Test
    void duplicateKeysAreRejected() {
        // CloudFormation refuses them too; a silent "last wins" could hide a second policy statement
        assertThatThrownBy(() -> CloudFormationYaml.parse("a: 1\na: 2")).isInstanceOf(DuplicateKeyException.class);
    }
}
