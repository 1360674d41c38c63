package dev.unusd.spokerole;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the few intrinsic functions the spoke role uses ({@code Ref}, {@code Fn::Sub}, {@code Fn::If},
 * {@code Fn::Equals}, {@code Fn::Select}, {@code Fn::Split}) for given parameter values, so a test can assert what
 * CloudFormation would deploy instead of how the template spells it.
 */
final class TemplateEvaluation {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, Object> template;
    private final Map<String, String> values = new HashMap<>();

    TemplateEvaluation(Map<String, Object> template, Map<String, String> parameters) {
        this.template = template;
        values.put("AWS::Partition", "aws");
        values.put("AWS::Region", "us-east-1");
        values.put("AWS::AccountId", "111122223333");
        Map<String, Object> declared = map(template.get("Parameters"));
        declared.forEach((name, declaration) -> {
            Object fallback = map(declaration).get("Default");
            if (fallback != null) {
                values.put(name, String.valueOf(fallback));
            }
        });
        values.putAll(parameters);
    }

    Object resolve(Object node) {
        if (node instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> function = m.entrySet().iterator().next();
            Object argument = function.getValue();
            switch ((String) function.getKey()) {
                case "Ref":
                    return value((String) argument);
                case "Fn::Sub":
                    return substitute((String) argument);
                case "Fn::If": {
                    List<?> branches = (List<?>) argument;
                    return resolve(condition((String) branches.get(0)) ? branches.get(1) : branches.get(2));
                }
                case "Fn::Equals": {
                    List<?> operands = (List<?>) argument;
                    return resolve(operands.get(0)).equals(resolve(operands.get(1)));
                }
                case "Fn::Select": {
                    List<?> selection = (List<?>) argument;
                    int index = Integer.parseInt(String.valueOf(selection.get(0)));
                    return ((List<?>) resolve(selection.get(1))).get(index);
                }
                case "Fn::Split": {
                    List<?> split = (List<?>) argument;
                    return List.of(((String) resolve(split.get(1))).split(Pattern.quote((String) split.get(0)), -1));
                }
                default:
                    break;
            }
        }
        if (node instanceof Map<?, ?> || node instanceof List<?>) {
            throw new IllegalArgumentException("not resolvable here: " + node);
        }
        return node;
    }

    boolean condition(String name) {
        Object definition = map(template.get("Conditions")).get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return (Boolean) resolve(definition);
    }

    private String value(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no value for " + name);
        }
        return value;
    }

    private String substitute(String text) {
        Matcher variable = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            variable.appendReplacement(out, Matcher.quoteReplacement(value(variable.group(1))));
        }
        return variable.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
