package dev.unusd.spokerole;

import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML, whose short-form intrinsic functions ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, ...)
 * a plain YAML parser rejects. Each is turned into its long form ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}),
 * exactly as CloudFormation itself reads them.
 */
public final class CloudFormationYaml {

    static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs",
            "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "Condition", "Length",
            "ToJsonString");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return (Map<String, Object>) new Yaml(new IntrinsicConstructor(options)).load(text);
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            for (String function : FUNCTIONS) {
                String longForm = function.equals("Condition") ? "Condition" : "Fn::" + function;
                yamlConstructors.put(new Tag("!" + function), new Intrinsic(longForm));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String longForm;

            Intrinsic(String longForm) {
                this.longForm = longForm;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // "!GetAtt Res.Attr" is the short form of ["Res", "Attr"]
                    value = longForm.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(longForm, value);
            }
        }
    }
}
