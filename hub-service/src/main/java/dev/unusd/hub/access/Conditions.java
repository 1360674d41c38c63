package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * Reads a statement's Condition block: which operators and keys, and what each does to who can call. Conditions are
 * ANDed, the values of one key ORed, so in an Allow a term narrows only if every one of its values does: a value
 * with a wildcard or a policy variable ({@code ${aws:username}}) matches callers nobody listed. IAM's own rule for
 * missing keys decides the rest: {@code ...IfExists} and {@code ForAllValues:} pass when the key is absent, so they
 * narrow only with keys every KMS request carries.
 */
final class Conditions {

    /** What a term does to a statement's audience. */
    enum Dimension {
        ACCOUNTS, ORGANIZATIONS, NETWORK,
        /** Understood, and it does not restrict who calls (kms:ViaService, encryption context, a wildcard value). */
        NOTHING,
        UNKNOWN
    }

    /**
     * {@code barsNamed}: a Deny term that applies to the callers it names (StringEquals, IpAddress...), so it bars at
     * most those; otherwise a Deny term applies to every caller outside the values.
     */
    record Narrowing(Dimension dimension, Set<String> values, @Nullable String via, ConditionTerm term,
            boolean barsNamed) {

        Narrowing(Dimension dimension, Set<String> values, @Nullable String via, ConditionTerm term) {
            this(dimension, values, via, term, false);
        }
    }

    private static final Set<String> ACCOUNT_KEYS = Set.of("aws:principalaccount", "kms:calleraccount",
            "aws:sourceaccount");
    private static final Set<String> ARN_KEYS = Set.of("aws:principalarn", "aws:sourcearn");
    private static final Set<String> ORG_KEYS = Set.of("aws:principalorgid", "aws:sourceorgid");
    private static final Set<String> ORG_PATH_KEYS = Set.of("aws:principalorgpaths", "aws:sourceorgpaths");
    private static final Set<String> NETWORK_KEYS = Set.of("aws:sourcevpc", "aws:sourcevpce", "aws:sourceip");
    /** Present in every request KMS authorises, so IfExists and ForAllValues still narrow with them. */
    private static final Set<String> ALWAYS_PRESENT = Set.of("aws:principalaccount", "aws:principalarn",
            "kms:calleraccount");
    /** Keys that restrict how, when or with what a key is used, never who uses it. */
    private static final Set<String> NOT_WHO = Set.of("kms:viaservice", "kms:grantisforawsresource",
            "aws:securetransport", "kms:encryptioncontextkeys", "kms:grantoperations", "kms:grantconstrainttype",
            "kms:granteeprincipal", "kms:retiringprincipal", "kms:encryptionalgorithm", "kms:signingalgorithm",
            "kms:macalgorithm", "kms:keyspec", "kms:keyusage", "kms:keyorigin", "kms:requestalias",
            "kms:resourcealiases", "kms:multiregion", "kms:multiregionkeytype", "kms:replicaregion",
            "kms:primaryregion", "kms:rotationperiodindays", "kms:schedulekeydeletionpendingwindowindays",
            "kms:bypasspolicylockoutsafetycheck", "kms:keyagreementalgorithm", "kms:wrappingalgorithm",
            "kms:wrappingkeyspec", "kms:validto", "kms:expirationmodel", "kms:datakeypairspec", "kms:messagetype",
            "kms:reencryptonsamekey", "aws:currenttime", "aws:epochtime", "aws:multifactorauthpresent",
            "aws:multifactorauthage", "aws:tagkeys", "aws:requestedregion", "aws:useragent", "aws:referer",
            "aws:viaawsservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:tokenissuetime");
    private static final List<String> NOT_WHO_PREFIXES = List.of("kms:encryptioncontext:", "aws:requesttag/",
            "aws:resourcetag/", "aws:principaltag/", "kms:recipientattestation:");
    private static final Set<String> OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals",
            "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
            "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool",
            "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");
    private static final Set<String> POSITIVE = Set.of("StringEquals", "StringEqualsIgnoreCase", "StringLike",
            "ArnEquals", "ArnLike", "IpAddress");
    private static final Set<String> NEGATED = Set.of("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
            "ArnNotEquals", "ArnNotLike", "NotIpAddress");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Set<String> EVERYWHERE = Set.of("0.0.0.0/0", "::/0");

    private Conditions() {
    }

    /** The terms of a Condition block; a block that is not IAM's shape is a {@link PolicyFormatException}. */
    static List<Narrowing> read(@Nullable JsonNode block, boolean deny) {
        List<Narrowing> terms = new ArrayList<>();
        if (block == null) {
            return terms;
        }
        if (!block.isObject()) {
            throw new PolicyFormatException("Condition is not an object");
        }
        for (Map.Entry<String, JsonNode> operator : block.properties()) {
            if (!operator.getValue().isObject()) {
                throw new PolicyFormatException("Condition operator " + operator.getKey() + " is not an object");
            }
            for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                terms.add(term(operator.getKey(), key.getKey(), values(key.getValue()), deny));
            }
        }
        return terms;
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode value : node) {
                values.add(scalar(value));
            }
        } else {
            values.add(scalar(node));
        }
        return values;
    }

    private static String scalar(JsonNode value) {
        if (value.isString() || value.isNumber() || value.isBoolean()) {
            return value.asString();
        }
        throw new PolicyFormatException("a condition value is not a string, number or boolean");
    }

    private static Narrowing term(String operator, String key, List<String> values, boolean deny) {
        String base = operator;
        String set = "";
        if (base.startsWith("ForAnyValue:") || base.startsWith("ForAllValues:")) {
            set = base.substring(0, base.indexOf(':'));
            base = base.substring(base.indexOf(':') + 1);
        }
        boolean ifExists = base.endsWith("IfExists") && !base.equals("IfExists");
        if (ifExists) {
            base = base.substring(0, base.length() - "IfExists".length());
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (!OPERATORS.contains(base) || (base.equals("Null") && (ifExists || !set.isEmpty()))) {
            return unknown(operator, key, values, "operator " + operator + " is not understood");
        }
        if (notWho(k)) {
            String via = k.equals("kms:viaservice") && POSITIVE.contains(base) ? String.join(", ", values) : null;
            return new Narrowing(Dimension.NOTHING, Set.of(), via, new ConditionTerm(operator, key, values,
                    deny ? "restricts when the Deny applies, not who it denies" : "narrows nothing: " + key
                            + " restricts how the key is used, not who uses it"));
        }
        if (!whoKey(k)) {
            return unknown(operator, key, values, "condition key " + key + " is not understood");
        }
        boolean present = ALWAYS_PRESENT.contains(k);
        if (deny) {
            // A Deny "unless the caller is one of these" narrows whoever the Allows let in to those callers. A Not
            // operator is true when the key is absent, with or without IfExists, so such a Deny also bars callers
            // without the key.
            if (POSITIVE.contains(base) && set.isEmpty()) {
                return barring(operator, key, k, base, values, ifExists && !present);
            }
            if (!NEGATED.contains(base) || !set.isEmpty()) {
                return unknown(operator, key, values, operator + " in a Deny may bar some callers the model cannot name");
            }
        } else {
            if (NEGATED.contains(base) || base.equals("Null") || base.equals("Bool")) {
                return nothing(operator, key, values, operator + " excludes some callers and admits the rest");
            }
            if (!POSITIVE.contains(base)) {
                return unknown(operator, key, values, "operator " + operator + " on " + key + " is not understood");
            }
            if ((ifExists || set.equals("ForAllValues")) && !present) {
                return nothing(operator, key, values, "a request without " + key + " passes " + operator);
            }
        }
        return literal(operator, key, k, base, values, deny ? "denies every caller outside " : "narrows to ");
    }

    /**
     * A Deny that applies to the callers its values name bars those at most, if every value names one exactly; with
     * IfExists on a key some requests lack, or a wildcard, it may bar callers nobody listed.
     */
    private static Narrowing barring(String operator, String key, String k, String base, List<String> values,
            boolean missingPasses) {
        if (missingPasses) {
            return unknown(operator, key, values, operator + " in a Deny also bars every request without " + key);
        }
        Narrowing named = literal(operator, key, k, base, values, "denies only callers of ");
        if (named.dimension() != Dimension.ACCOUNTS && named.dimension() != Dimension.ORGANIZATIONS
                && named.dimension() != Dimension.NETWORK) {
            return unknown(operator, key, values, operator + " in a Deny may bar callers the model cannot name ("
                    + named.term().effect() + ")");
        }
        return new Narrowing(named.dimension(), named.values(), null, named.term(), true);
    }

    /** The accounts, organisations or networks the values name, if every value names one exactly. */
    private static Narrowing literal(String operator, String key, String k, String base, List<String> values,
            String does) {
        Set<String> named = new TreeSet<>();
        Dimension dimension;
        if (ACCOUNT_KEYS.contains(k)) {
            dimension = Dimension.ACCOUNTS;
        } else if (ARN_KEYS.contains(k)) {
            dimension = Dimension.ACCOUNTS;
        } else if (ORG_KEYS.contains(k) || ORG_PATH_KEYS.contains(k)) {
            dimension = Dimension.ORGANIZATIONS;
        } else {
            dimension = Dimension.NETWORK;
        }
        for (String value : values) {
            if (value.contains("${")) {
                return nothing(operator, key, values, "the value " + value + " is a policy variable");
            }
            String name;
            if (ACCOUNT_KEYS.contains(k)) {
                if (wild(value)) {
                    return nothing(operator, key, values, "the value " + value + " has a wildcard");
                }
                if (!ACCOUNT_ID.matcher(value).matches()) {
                    return unknown(operator, key, values, "the value " + value + " is not a 12-digit account id");
                }
                name = value;
            } else if (ARN_KEYS.contains(k)) {
                String[] parts = value.split(":", 6);
                if (parts.length < 6 || !parts[0].equals("arn")) {
                    if (wild(value)) {
                        return nothing(operator, key, values, "the value " + value + " has a wildcard");
                    }
                    return unknown(operator, key, values, "the value " + value + " is not an ARN");
                }
                if (wild(parts[4])) {
                    return nothing(operator, key, values, "the value " + value + " has a wildcard in its account");
                }
                // ArnLike matches each of the six parts apart, but StringLike's * also matches colons, so a wildcard
                // before the account could carry the match past the ARN's own account. AWS writes these ARNs and puts
                // no colon in a partition, service or region: with partition and service literal, the literal
                // ":ACCOUNT:" lands on the account part, unless a resource id of that service held ":ACCOUNT:" and
                // the rest of the value, which the colon-free resource names of the services that pass such ARNs to
                // KMS (trails, topics, buses, roles) cannot. A wildcard partition or service leaves that open.
                if (!base.startsWith("Arn") && (wild(parts[1]) || wild(parts[2]))) {
                    return unknown(operator, key, values, "the value " + value + " has a wildcard before its account"
                            + " that StringLike may stretch over another account's ARN");
                }
                if (parts[4].isEmpty()) {
                    return unknown(operator, key, values, "the ARN " + value
                            + " names no account, so whose resource it is cannot be told");
                }
                if (!ACCOUNT_ID.matcher(parts[4]).matches()) {
                    return unknown(operator, key, values, "the ARN " + value + " has no 12-digit account");
                }
                name = parts[4];
            } else if (ORG_KEYS.contains(k)) {
                if (wild(value)) {
                    return nothing(operator, key, values, "the value " + value + " has a wildcard");
                }
                if (!ORG_ID.matcher(value).matches()) {
                    return unknown(operator, key, values, "the value " + value + " is not an organisation id");
                }
                name = value;
            } else if (ORG_PATH_KEYS.contains(k)) {
                // o-xxxxxxxxxx/r-xxxx/ou-.../*: whatever follows, the path is inside the organisation it starts with.
                int slash = value.indexOf('/');
                String org = slash < 0 ? value : value.substring(0, slash);
                if (wild(org) || slash < 0 && base.endsWith("Like")) {
                    return nothing(operator, key, values, "the value " + value + " has a wildcard in its organisation");
                }
                if (!ORG_ID.matcher(org).matches()) {
                    return unknown(operator, key, values, "the value " + value + " is not an organisation path");
                }
                name = org;
            } else {
                if (wild(value) || EVERYWHERE.contains(value)) {
                    return nothing(operator, key, values, "the value " + value + " matches every network");
                }
                name = value;
            }
            named.add(name);
        }
        String what = switch (dimension) {
            case ACCOUNTS -> "accounts ";
            case ORGANIZATIONS -> "organisations ";
            default -> "networks ";
        };
        String effect = does + what + String.join(", ", named);
        return new Narrowing(dimension, named, null, new ConditionTerm(operator, key, values, effect));
    }

    private static boolean wild(String value) {
        return value.contains("*") || value.contains("?");
    }

    private static boolean notWho(String key) {
        return NOT_WHO.contains(key) || NOT_WHO_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static boolean whoKey(String key) {
        return ACCOUNT_KEYS.contains(key) || ARN_KEYS.contains(key) || ORG_KEYS.contains(key)
                || ORG_PATH_KEYS.contains(key) || NETWORK_KEYS.contains(key);
    }

    private static Narrowing nothing(String operator, String key, List<String> values, String why) {
        return new Narrowing(Dimension.NOTHING, Set.of(), null,
                new ConditionTerm(operator, key, values, "narrows nothing: " + why));
    }

    private static Narrowing unknown(String operator, String key, List<String> values, String why) {
        return new Narrowing(Dimension.UNKNOWN, Set.of(), null, new ConditionTerm(operator, key, values,
                "not understood: " + why));
    }
}
