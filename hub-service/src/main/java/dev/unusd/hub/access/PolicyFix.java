package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The key policy without its exposures, or what to change by hand when no safe policy can be written for the tenant.
 * The only edit made is taking the exposed principal value out of its statement's Principal (the {@code "*"}, the
 * outside account, the service), and the statement with it once nothing is left; the rest of the statement stays.
 * Anything else is left to a person, with the statement and the value to change: an exposure a condition bounds
 * together with trusted accounts, one a Deny statement shapes, an Allow with NotPrincipal, a principal not written as
 * the evaluator read it (the command would change nothing), and a fix after which no principal of the key's account
 * could still call kms:PutKeyPolicy for certain ({@link PolicyLockout}): KMS refuses a policy that locks its caller
 * out, and one it accepted would leave nobody able to manage the key; a wrong command is worse than none.
 *
 * @param policy the fixed policy, compact; null when it must be edited by hand
 * @param byHand why no policy is offered; null when one is
 * @param edits each change to make, as "statement 1 (Sid Open): ..."
 */
public record PolicyFix(@Nullable String policy, @Nullable String byHand, List<String> edits) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NOT_AS_READ = "a principal is not written as the evaluator read it";

    public PolicyFix {
        edits = List.copyOf(edits);
    }

    /** Empty when no exposure comes from a key policy statement (grants are revoked, not edited). */
    public static Optional<PolicyFix> of(String policy, String keyAccount, List<Exposure.Exposed> exposures) {
        List<Exposure.Exposed> fromPolicy = exposures.stream()
                .filter(e -> e.entry().source().statement() != null).toList();
        if (fromPolicy.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode root;
        List<JsonNode> statements;
        try {
            if (!(JSON.readTree(policy) instanceof ObjectNode object)) {
                throw new IllegalArgumentException("not an object");
            }
            root = object;
            statements = statements(root);
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.of(new PolicyFix(null, "the key policy is not IAM JSON", List.of()));
        }
        Set<String> edits = new LinkedHashSet<>();
        Set<String> reasons = new LinkedHashSet<>();
        Map<Integer, Set<Principal>> out = new TreeMap<>();
        for (Exposure.Exposed exposed : fromPolicy) {
            AccessEntry entry = exposed.entry();
            int index = entry.source().statement();
            String where = entry.source().describe() + ": ";
            JsonNode statement = index < statements.size() ? statements.get(index) : null;
            String who = who(exposed);
            if (!entry.source().narrowedBy().isEmpty()) {
                reasons.add("a Deny statement shapes the access");
                edits.add(where + "Deny " + denies(entry.source().narrowedBy()) + " narrows it but still lets "
                        + who + " in; make the Deny's condition or NotPrincipal bar it too, or narrow this statement");
            } else if (statement == null) {
                reasons.add(NOT_AS_READ);
                edits.add(where + "take " + entry.principal().value() + " out of its Principal");
            } else if (statement.has("NotPrincipal")) {
                reasons.add("an Allow with NotPrincipal lets in everyone it does not list");
                edits.add(where + "it allows everyone but its NotPrincipal; name who may use the key in a Principal"
                        + " instead");
            } else if (boundByCondition(exposed)) {
                reasons.add("a condition admits trusted and outside accounts together");
                edits.add(where + "take " + who + " out of its condition " + conditionKeys(entry, exposed)
                        + ", which also admits " + String.join(", ", trustedAdmitted(exposed)));
            } else {
                out.computeIfAbsent(index, i -> new LinkedHashSet<>()).add(entry.principal());
            }
        }
        ArrayNode kept = JSON.createArrayNode();
        for (int i = 0; i < statements.size(); i++) {
            JsonNode statement = statements.get(i).deepCopy();
            Set<Principal> principals = out.get(i);
            if (principals == null) {
                kept.add(statement);
                continue;
            }
            String where = AccessEntry.Source.statement(i, sid(statement)).describe() + ": ";
            List<Principal> missing = new ArrayList<>();
            boolean left = remove(statement, principals, missing);
            if (!missing.isEmpty()) {
                reasons.add(NOT_AS_READ);
                principals.forEach(p -> edits.add(where + "take " + p.value() + " out of its Principal"));
                kept.add(statements.get(i));
                continue;
            }
            String values = String.join(", ", principals.stream().map(Principal::value).toList());
            if (left) {
                kept.add(statement);
                edits.add(where + "take " + values + " out of its Principal");
            } else {
                edits.add(where + "remove the statement, which lets in no one but " + values);
            }
        }
        if (!reasons.isEmpty()) {
            return Optional.of(new PolicyFix(null, String.join("; ", reasons), List.copyOf(edits)));
        }
        ObjectNode fixed = root.deepCopy();
        fixed.set("Statement", kept);
        if (PolicyLockout.administrators(values(kept), keyAccount).isEmpty()) {
            edits.add("let arn:aws:iam::" + keyAccount + ":root (as the default key policy does) or a key"
                    + " administrator role of the account call " + PolicyLockout.PUT_KEY_POLICY + " in a statement"
                    + " without Condition that no Deny takes it from");
            return Optional.of(new PolicyFix(null, "no statement left would let anyone in account " + keyAccount
                    + " manage the key (" + PolicyLockout.PUT_KEY_POLICY + "); KMS would refuse the policy",
                    List.copyOf(edits)));
        }
        return Optional.of(new PolicyFix(JSON.writeValueAsString(fixed), null, List.copyOf(edits)));
    }

    /**
     * Takes the principals out of the statement's Principal; false when nothing is left, so the statement goes.
     * {@code missing} gets the principals it could not find as written.
     */
    private static boolean remove(JsonNode statement, Set<Principal> principals, List<Principal> missing) {
        JsonNode principal = statement.get("Principal");
        if (principal.isString()) {
            // "*" is the statement's only principal: it is exposed, or it would not be here.
            principals.stream().filter(p -> p.kind() != Principal.Kind.ANYONE).forEach(missing::add);
            return false;
        }
        ObjectNode object = (ObjectNode) principal;
        for (Principal p : principals) {
            String type = p.kind() == Principal.Kind.SERVICE ? "Service" : "AWS";
            JsonNode current = object.get(type);
            if (current == null) {
                missing.add(p);
                continue;
            }
            ArrayNode rest = JSON.createArrayNode();
            for (JsonNode value : values(current)) {
                if (!p.equals(written(type, text(value)))) {
                    rest.add(value);
                }
            }
            if (rest.size() == values(current).size()) {
                missing.add(p);
            } else if (rest.isEmpty()) {
                object.remove(type);
            } else {
                object.set(type, rest.size() == 1 ? rest.get(0) : rest);
            }
        }
        return !object.isEmpty();
    }

    /** The principal a Principal value stands for, as the evaluator reads it. */
    private static @Nullable Principal written(String type, @Nullable String value) {
        if (value == null) {
            return null;
        }
        if (type.equals("Service")) {
            return Principal.service(value);
        }
        return Principal.aws(value).orElse(null);
    }

    /** A principal that is "*" or a service, with an audience a condition narrowed to some trusted accounts too. */
    private static boolean boundByCondition(Exposure.Exposed exposed) {
        Principal.Kind kind = exposed.entry().principal().kind();
        return (kind == Principal.Kind.ANYONE || kind == Principal.Kind.SERVICE)
                && exposed.entry().audience().kind() == Audience.Kind.ACCOUNTS
                && !trustedAdmitted(exposed).isEmpty();
    }

    private static Set<String> trustedAdmitted(Exposure.Exposed exposed) {
        Set<String> trusted = new TreeSet<>(exposed.entry().audience().accounts());
        trusted.removeAll(exposed.outsideAccounts());
        return trusted;
    }

    private static String conditionKeys(AccessEntry entry, Exposure.Exposed exposed) {
        Set<String> keys = new TreeSet<>();
        for (ConditionTerm term : entry.conditions()) {
            if (term.values().stream().anyMatch(v -> exposed.outsideAccounts().stream().anyMatch(v::contains))) {
                keys.add(term.key());
            }
        }
        return keys.isEmpty() ? "on accounts" : String.join(", ", keys);
    }

    private static String who(Exposure.Exposed exposed) {
        Audience audience = exposed.entry().audience();
        return switch (audience.kind()) {
            case ANYONE -> "any AWS account";
            case ANY_ACCOUNT_THROUGH_SERVICE -> "any account through " + audience.via();
            default -> (exposed.outsideAccounts().size() == 1 ? "account " : "accounts ")
                    + String.join(", ", exposed.outsideAccounts());
        };
    }

    private static String denies(List<Integer> indexes) {
        return (indexes.size() == 1 ? "statement " : "statements ")
                + String.join(", ", indexes.stream().map(String::valueOf).toList());
    }

    private static List<JsonNode> statements(JsonNode root) {
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isArray() || statements.isObject())) {
            throw new IllegalArgumentException("no Statement");
        }
        return values(statements);
    }

    private static List<JsonNode> values(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else {
            values.add(node);
        }
        return values;
    }

    private static @Nullable String sid(JsonNode statement) {
        return text(statement.get("Sid"));
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }
}
