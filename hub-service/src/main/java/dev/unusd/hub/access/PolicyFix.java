package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The key policy without its exposures: outside principals named one by one are taken out of their statement's
 * Principal, and a statement that lets in anyone, any account through a service, or only outside principals is
 * removed. What stays is what the tenant trusts; nothing is added.
 */
public final class PolicyFix {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PolicyFix() {
    }

    /** The fixed policy, compact; empty when the policy is not IAM JSON or no exposure comes from a statement. */
    public static Optional<String> without(String policy, List<Exposure.Exposed> exposures) {
        Set<Integer> remove = new HashSet<>();
        Map<Integer, Set<String>> principalsOut = new HashMap<>();
        for (Exposure.Exposed exposed : exposures) {
            AccessEntry entry = exposed.entry();
            Integer index = entry.source().statement();
            if (index == null) {
                continue;
            }
            if (named(entry.principal())) {
                principalsOut.computeIfAbsent(index, i -> new HashSet<>()).add(entry.principal().value());
            } else {
                remove.add(index);
            }
        }
        if (remove.isEmpty() && principalsOut.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(policy);
            JsonNode statements = root.get("Statement");
            List<JsonNode> list = new ArrayList<>();
            if (statements.isArray()) {
                statements.forEach(list::add);
            } else {
                list.add(statements);
            }
            ArrayNode kept = JSON.createArrayNode();
            for (int i = 0; i < list.size(); i++) {
                if (remove.contains(i)) {
                    continue;
                }
                JsonNode statement = list.get(i);
                Set<String> out = principalsOut.get(i);
                if (out != null && !narrow((ObjectNode) statement, out)) {
                    continue;
                }
                kept.add(statement);
            }
            ((ObjectNode) root).set("Statement", kept);
            return Optional.of(JSON.writeValueAsString(root));
        } catch (JacksonException | ClassCastException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static boolean named(Principal principal) {
        return switch (principal.kind()) {
            case ACCOUNT, ROLE, USER, SESSION -> true;
            default -> false;
        };
    }

    /** Takes {@code out} from the statement's AWS principals; false when none would be left. */
    private static boolean narrow(ObjectNode statement, Set<String> out) {
        ObjectNode principal = (ObjectNode) statement.get("Principal");
        JsonNode aws = principal.get("AWS");
        ArrayNode rest = JSON.createArrayNode();
        List<JsonNode> values = new ArrayList<>();
        if (aws.isArray()) {
            aws.forEach(values::add);
        } else {
            values.add(aws);
        }
        for (JsonNode value : values) {
            String text = value.asString();
            String asArn = text.matches("[0-9]{12}") ? "arn:aws:iam::" + text + ":root" : text;
            if (!out.contains(asArn)) {
                rest.add(value);
            }
        }
        if (rest.isEmpty()) {
            principal.remove("AWS");
            return !principal.isEmpty();
        }
        principal.set("AWS", rest.size() == 1 ? rest.get(0) : rest);
        return true;
    }
}
