package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.access.Conditions.Dimension;
import dev.unusd.hub.access.Conditions.Narrowing;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a key policy and a key's grants as IAM evaluates them: every Allow statement gives its principals its actions
 * under its conditions, every grant gives its grantee its operations, and an explicit Deny wins over both. A Deny is
 * relied on only where it is certain: without conditions it takes its actions away; with one "unless the caller is
 * one of these" condition it narrows who keeps them; one that names the callers it applies to bars at most those, so
 * everyone else keeps access; one that applies only in some circumstances (no TLS, another encryption context) takes
 * nothing away; one the model cannot read leaves what it may deny UNKNOWN.
 */
public final class KeyPolicyEvaluator {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    /** Condition keys that hold the calling principal's own account in every request. */
    private static final Set<String> CALLER_ACCOUNT = Set.of("aws:principalaccount", "kms:calleraccount");
    private static final Set<String> ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "Condition");

    private KeyPolicyEvaluator() {
    }

    /** Both read. */
    public static KeyAccess evaluate(String policy, List<Grant> grants) {
        return evaluate(policy, null, grants, null);
    }

    /**
     * {@code policy} null: not read, for {@code policyUnknown}; {@code grants} null: not read, for {@code grantsUnknown}.
     */
    public static KeyAccess evaluate(@Nullable String policy, @Nullable String policyUnknown,
            @Nullable List<Grant> grants, @Nullable String grantsUnknown) {
        Map<String, String> unknown = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<AccessEntry> entries = new ArrayList<>();
        List<Deny> denies = new ArrayList<>();
        if (policy == null) {
            unknown.put(KeyAccess.KEY_POLICY, policyUnknown == null ? "not read" : policyUnknown);
        } else {
            try {
                readPolicy(policy, entries, denies);
            } catch (PolicyFormatException | JacksonException e) {
                unknown.put(KeyAccess.KEY_POLICY, "the key policy is not IAM JSON: " + message(e));
                entries.clear();
                denies.clear();
            }
        }
        if (grants == null) {
            unknown.put(KeyAccess.GRANTS, grantsUnknown == null ? "not read" : grantsUnknown);
        } else {
            for (Grant grant : grants) {
                entries.add(grantEntry(grant, policy != null && !unknown.containsKey(KeyAccess.KEY_POLICY)));
            }
        }
        for (Deny deny : denies) {
            entries = deny.apply(entries, notes);
        }
        return new KeyAccess(entries, unknown, notes);
    }

    private static String message(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int line = message.indexOf('\n');
        return line < 0 ? message : message.substring(0, line);
    }

    private static void readPolicy(String policy, List<AccessEntry> entries, List<Deny> denies) {
        JsonNode root = JSON.readTree(policy);
        if (root == null || !root.isObject()) {
            throw new PolicyFormatException("not a JSON object");
        }
        for (String element : root.propertyNames()) {
            if (!TOP_LEVEL.contains(element)) {
                throw new PolicyFormatException("unsupported policy element " + element);
            }
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || !(statements.isArray() || statements.isObject())) {
            throw new PolicyFormatException("no Statement");
        }
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        for (int i = 0; i < list.size(); i++) {
            statement(i, list.get(i), entries, denies);
        }
    }

    private static void statement(int index, JsonNode node, List<AccessEntry> entries, List<Deny> denies) {
        String sid = node.isObject() && node.get("Sid") != null && node.get("Sid").isString()
                ? node.get("Sid").asString() : null;
        AccessEntry.Source source = AccessEntry.Source.statement(index, sid);
        String effect = node.isObject() && node.get("Effect") != null ? node.get("Effect").asString() : "";
        try {
            if (!node.isObject()) {
                throw new PolicyFormatException("not an object");
            }
            for (String element : node.propertyNames()) {
                if (!ELEMENTS.contains(element)) {
                    throw new PolicyFormatException("unsupported element " + element);
                }
            }
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new PolicyFormatException("Effect is neither Allow nor Deny");
            }
            Set<String> actions = actions(node);
            List<Narrowing> conditions = Conditions.read(node.get("Condition"), effect.equals("Deny"));
            boolean not = node.has("NotPrincipal");
            if (not == node.has("Principal")) {
                throw new PolicyFormatException("needs exactly one of Principal and NotPrincipal");
            }
            List<Principal> principals = principals(node.get(not ? "NotPrincipal" : "Principal"));
            if (effect.equals("Deny")) {
                denies.add(Deny.of(index, principals, not, actions, conditions));
                return;
            }
            if (actions.isEmpty()) {
                return;
            }
            List<ConditionTerm> terms = conditions.stream().map(Narrowing::term).toList();
            if (not) {
                // Allow with NotPrincipal lets in everyone but the listed principals: anyone, for what it exposes.
                entries.add(new AccessEntry(Principal.ANYONE_PRINCIPAL, actions, terms, source,
                        audience(Principal.ANYONE_PRINCIPAL, conditions, null)));
                return;
            }
            for (Principal principal : principals) {
                entries.add(new AccessEntry(principal, actions, terms, source, audience(principal, conditions, null)));
            }
        } catch (PolicyFormatException | JacksonException e) {
            String reason = "statement " + index + " is not understood: " + message(e);
            if (effect.equals("Deny")) {
                denies.add(Deny.unreadable(index, reason));
            } else {
                entries.add(new AccessEntry(new Principal(Principal.Kind.OTHER, "statement " + index, null),
                        KmsActions.ALL, List.of(), source, Audience.unknown(reason)));
            }
        }
    }

    /** The KMS actions a statement's Action or NotAction names; a statement with neither or both is malformed. */
    static Set<String> actions(JsonNode node) {
        boolean not = node.has("NotAction");
        if (not == node.has("Action")) {
            throw new PolicyFormatException("needs exactly one of Action and NotAction");
        }
        List<String> patterns = strings(node.get(not ? "NotAction" : "Action"), "Action");
        // "*" in Action is every action of every service: for a key policy, every KMS action.
        return not ? KmsActions.except(patterns) : KmsActions.matching(patterns);
    }

    private static List<String> strings(JsonNode node, String element) {
        List<String> values = new ArrayList<>();
        if (node.isString()) {
            values.add(node.asString());
        } else if (node.isArray()) {
            for (JsonNode value : node) {
                if (!value.isString()) {
                    throw new PolicyFormatException(element + " holds a value that is not a string");
                }
                values.add(value.asString());
            }
        } else {
            throw new PolicyFormatException(element + " is neither a string nor a list");
        }
        return values;
    }

    /** The principals a Principal or NotPrincipal names; a value that is none of IAM's forms is malformed. */
    static List<Principal> principals(JsonNode node) {
        List<Principal> principals = new ArrayList<>();
        if (node.isString()) {
            if (!node.asString().equals("*")) {
                throw new PolicyFormatException("Principal " + node.asString() + " is not \"*\" or an object");
            }
            principals.add(Principal.ANYONE_PRINCIPAL);
            return principals;
        }
        if (!node.isObject()) {
            throw new PolicyFormatException("Principal is neither \"*\" nor an object");
        }
        for (Map.Entry<String, JsonNode> type : node.properties()) {
            for (String value : strings(type.getValue(), "Principal")) {
                switch (type.getKey()) {
                    case "AWS" -> principals.add(Principal.aws(value).orElseThrow(
                            () -> new PolicyFormatException("AWS principal " + value + " is none of IAM's forms")));
                    case "Service" -> principals.add(Principal.service(value));
                    case "Federated", "CanonicalUser" -> principals.add(
                            new Principal(Principal.Kind.OTHER, type.getKey() + ":" + value, null));
                    default -> throw new PolicyFormatException("principal type " + type.getKey() + " is not IAM's");
                }
            }
        }
        return principals;
    }

    private static AccessEntry grantEntry(Grant grant, boolean policyRead) {
        Principal grantee = Principal.grantee(grant.granteePrincipal());
        Set<String> actions = new TreeSet<>();
        grant.operations().forEach(op -> actions.add("kms:" + op));
        List<ConditionTerm> terms = grant.constraints() ? List.of(new ConditionTerm("GrantConstraints",
                "EncryptionContext", List.of(), "narrows nothing: an encryption context restricts what is decrypted,"
                        + " not who decrypts")) : List.of();
        Audience audience = audience(grantee, List.of(), grant.issuingAccount());
        if (!policyRead && audience.kind() != Audience.Kind.NOBODY) {
            audience = uncertain(audience, "the key policy was not read: a Deny in it may take this grant's"
                    + " operations away");
        }
        return new AccessEntry(grantee, actions, terms, AccessEntry.Source.grant(grant.grantId()), audience);
    }

    /**
     * The principal narrowed by the statement's conditions. A named principal's own account bounds it whatever the
     * conditions say; {@code issuingAccount} is the account a service grantee acts for (a grant's issuer).
     */
    static Audience audience(Principal principal, List<Narrowing> conditions, @Nullable String issuingAccount) {
        Set<String> accounts = null;
        Set<String> organizations = null;
        Set<String> networks = new TreeSet<>();
        String via = null;
        List<String> doubts = new ArrayList<>();
        for (Narrowing n : conditions) {
            switch (n.dimension()) {
                case ACCOUNTS -> accounts = meet(accounts, n.values(), doubts, "accounts");
                case ORGANIZATIONS -> organizations = meet(organizations, n.values(), doubts, "organisations");
                case NETWORK -> networks.addAll(n.values());
                case NOTHING -> via = n.via() != null ? n.via() : via;
                case UNKNOWN -> doubts.add(n.term().key() + " " + n.term().effect());
            }
        }
        Audience audience = switch (principal.kind()) {
            case ACCOUNT, ROLE, USER, SESSION -> new Audience(Audience.Kind.ACCOUNTS, Set.of(principal.account()),
                    Set.of(), Set.of(), via, true, null);
            case DELETED -> Audience.nobody("a deleted principal: nobody can act as it");
            case OTHER -> Audience.unknown(principal.value() + " is a principal form the model does not evaluate");
            case ANYONE, SERVICE -> {
                String through = principal.kind() == Principal.Kind.SERVICE ? principal.value() : via;
                if (accounts != null) {
                    yield new Audience(Audience.Kind.ACCOUNTS, accounts, Set.of(), Set.of(), through, true, null);
                } else if (organizations != null) {
                    yield new Audience(Audience.Kind.ORGANIZATIONS, Set.of(), organizations, Set.of(), through, true,
                            null);
                } else if (issuingAccount != null && principal.kind() == Principal.Kind.SERVICE) {
                    yield new Audience(Audience.Kind.ACCOUNTS, Set.of(issuingAccount), Set.of(), Set.of(), through,
                            true, null);
                } else if (!networks.isEmpty() && principal.kind() == Principal.Kind.ANYONE) {
                    yield new Audience(Audience.Kind.NETWORK, Set.of(), Set.of(), networks, through, true, null);
                } else if (principal.kind() == Principal.Kind.SERVICE) {
                    yield new Audience(Audience.Kind.ANY_ACCOUNT_THROUGH_SERVICE, Set.of(), Set.of(), Set.of(),
                            through, true, null);
                }
                yield new Audience(Audience.Kind.ANYONE, Set.of(), Set.of(), Set.of(), through, true, null);
            }
        };
        if (!doubts.isEmpty() && audience.kind() != Audience.Kind.NOBODY && audience.kind() != Audience.Kind.UNKNOWN) {
            audience = uncertain(audience, String.join("; ", doubts));
        }
        return audience;
    }

    /** Conditions ANDed: both sets must hold. Disjoint sets would admit nobody; keep both, as a bound, not a verdict. */
    private static Set<String> meet(@Nullable Set<String> current, Set<String> values, List<String> doubts,
            String what) {
        if (current == null) {
            return new TreeSet<>(values);
        }
        Set<String> both = new TreeSet<>(current);
        both.retainAll(values);
        if (!both.isEmpty()) {
            return both;
        }
        doubts.add("conditions name disjoint " + what);
        Set<String> either = new TreeSet<>(current);
        either.addAll(values);
        return either;
    }

    static Audience uncertain(Audience audience, String reason) {
        return new Audience(audience.kind(), audience.accounts(), audience.organizations(), audience.networks(),
                audience.via(), false, audience.reason() == null ? reason : audience.reason() + "; " + reason);
    }

    /** What one Deny statement does to the entries. */
    private record Deny(int index, List<Principal> principals, boolean notPrincipal, Set<String> actions, Kind kind,
            @Nullable Narrowing except, String why, List<Narrowing> named, boolean alone) {

        /** BARS: it applies only to the callers a condition names ({@code named}); {@code alone}: its one condition. */
        enum Kind { UNCONDITIONAL, EXCEPT, CIRCUMSTANTIAL, UNCERTAIN, BARS }

        Deny(int index, List<Principal> principals, boolean notPrincipal, Set<String> actions, Kind kind,
                @Nullable Narrowing except, String why) {
            this(index, principals, notPrincipal, actions, kind, except, why, List.of(), false);
        }

        static Deny of(int index, List<Principal> principals, boolean notPrincipal, Set<String> actions,
                List<Narrowing> conditions) {
            if (conditions.isEmpty()) {
                return new Deny(index, principals, notPrincipal, actions, Kind.UNCONDITIONAL, null, "");
            }
            List<Narrowing> who = conditions.stream().filter(n -> n.dimension() != Dimension.NOTHING).toList();
            String terms = String.join(", ", conditions.stream().map(n -> n.term().operator() + " "
                    + n.term().key()).toList());
            if (who.stream().anyMatch(n -> n.dimension() == Dimension.UNKNOWN)) {
                return new Deny(index, principals, notPrincipal, actions, Kind.UNCERTAIN, null, String.join("; ",
                        who.stream().filter(n -> n.dimension() == Dimension.UNKNOWN).map(n -> n.term().effect())
                                .toList()));
            }
            List<Narrowing> named = who.stream().filter(Narrowing::barsNamed).toList();
            if (!named.isEmpty()) {
                // Conditions are ANDed: one that names callers bounds whom the Deny can bar, whatever the others say.
                return new Deny(index, principals, notPrincipal, actions, Kind.BARS, null, terms, named,
                        conditions.size() == 1 && !notPrincipal);
            }
            boolean oneDimension = !who.isEmpty() && who.size() == conditions.size()
                    && who.stream().map(Narrowing::dimension).distinct().count() == 1;
            if (!oneDimension || notPrincipal) {
                // It bars callers only when every condition holds: others keep what the Allows gave them.
                return new Deny(index, principals, notPrincipal, actions, Kind.CIRCUMSTANTIAL, null, terms);
            }
            // "Deny unless in A" AND "deny unless in B": whoever is in A or in B keeps access.
            Set<String> union = new TreeSet<>();
            who.forEach(n -> union.addAll(n.values()));
            Narrowing except = new Narrowing(who.get(0).dimension(), union, null, who.get(0).term());
            return new Deny(index, principals, notPrincipal, actions, Kind.EXCEPT, except, terms);
        }

        static Deny unreadable(int index, String reason) {
            return new Deny(index, List.of(Principal.ANYONE_PRINCIPAL), false, KmsActions.ALL, Kind.UNCERTAIN, null,
                    reason);
        }

        List<AccessEntry> apply(List<AccessEntry> entries, List<String> notes) {
            List<AccessEntry> result = new ArrayList<>();
            boolean noted = false;
            for (AccessEntry entry : entries) {
                Set<String> covered = new TreeSet<>(entry.actions());
                covered.retainAll(actions);
                Reach reach = covered.isEmpty() ? Reach.NONE : reach(entry.principal());
                if (reach == Reach.NONE || entry.audience().kind() == Audience.Kind.NOBODY) {
                    result.add(entry);
                    continue;
                }
                // Why the Deny leaves this entry's access as it is, or null when it takes some away.
                String leaves = kind == Kind.CIRCUMSTANTIAL
                        ? "applies only when " + why + " hold: it is not relied on to take access away"
                        : kind == Kind.BARS && !barsAny(entry)
                                ? "bars only the callers its conditions name (" + why + "): the others keep access"
                                : null;
                if (leaves != null) {
                    if (!noted) {
                        notes.add("Deny statement " + index + " " + leaves);
                        noted = true;
                    }
                    result.add(entry);
                    continue;
                }
                Set<String> kept = new TreeSet<>(entry.actions());
                kept.removeAll(covered);
                if (!kept.isEmpty()) {
                    result.add(entry.withActions(kept));
                }
                AccessEntry.Source source = entry.source().narrowedBy(index);
                if (kind == Kind.BARS) {
                    Narrowing caller = callerAccounts();
                    if (alone && caller != null && entry.principal().kind() != Principal.Kind.SERVICE) {
                        // The only condition names the caller's account: exactly those accounts lose the actions.
                        Set<String> left = new TreeSet<>(entry.audience().accounts());
                        left.removeAll(caller.values());
                        Audience audience = entry.audience();
                        if (!left.isEmpty()) {
                            result.add(new AccessEntry(entry.principal(), covered, entry.conditions(), source,
                                    new Audience(Audience.Kind.ACCOUNTS, left, Set.of(), Set.of(), audience.via(),
                                            audience.certain(), audience.reason())));
                        }
                    } else {
                        result.add(new AccessEntry(entry.principal(), covered, entry.conditions(), source,
                                uncertain(entry.audience(), "Deny statement " + index + " may bar some of these"
                                        + " callers: " + why)));
                    }
                    continue;
                }
                if (kind == Kind.UNCERTAIN) {
                    result.add(new AccessEntry(entry.principal(), covered, entry.conditions(), source,
                            uncertain(entry.audience(), "Deny statement " + index + " may take these actions away: "
                                    + why)));
                } else if (reach == Reach.ALL_BUT_LISTED) {
                    if (kind == Kind.UNCONDITIONAL) {
                        // Allow to anyone, Deny to all but the listed principals: the listed keep the actions.
                        for (Principal listed : principals) {
                            Audience narrowed = within(entry.audience(), listed);
                            if (narrowed.kind() != Audience.Kind.NOBODY) {
                                result.add(new AccessEntry(listed, covered, entry.conditions(), source, narrowed));
                            }
                        }
                    } else {
                        result.add(new AccessEntry(entry.principal(), covered, entry.conditions(), source,
                                uncertain(entry.audience(), "Deny statement " + index
                                        + " combines NotPrincipal with conditions")));
                    }
                } else if (kind == Kind.EXCEPT) {
                    Audience narrowed = narrow(entry.audience(), entry.principal());
                    if (narrowed.kind() != Audience.Kind.NOBODY) {
                        result.add(new AccessEntry(entry.principal(), covered, entry.conditions(), source, narrowed));
                    }
                }
                // UNCONDITIONAL over the principal: the covered actions are gone.
            }
            return result;
        }

        /**
         * Whether this BARS Deny may bar any of the entry's callers. Anyone, any account through a service, an
         * organisation or a network: a Deny that names some callers leaves all the others in. Nor does one that names
         * only networks bar an account (its callers may call from elsewhere), or one whose caller-account condition
         * names none of the entry's accounts.
         */
        private boolean barsAny(AccessEntry entry) {
            Audience audience = entry.audience();
            if (audience.kind() != Audience.Kind.ACCOUNTS
                    || named.stream().allMatch(n -> n.dimension() == Dimension.NETWORK)) {
                return false;
            }
            Narrowing caller = callerAccounts();
            return caller == null || entry.principal().kind() == Principal.Kind.SERVICE
                    || !java.util.Collections.disjoint(audience.accounts(), caller.values());
        }

        /** The named term on the calling principal's own account, where one value is exactly one account. */
        private @Nullable Narrowing callerAccounts() {
            return named.stream().filter(n -> n.dimension() == Dimension.ACCOUNTS && CALLER_ACCOUNT.contains(
                    n.term().key().toLowerCase(java.util.Locale.ROOT))).findFirst().orElse(null);
        }

        private enum Reach { NONE, ALL, ALL_BUT_LISTED }

        private Reach reach(Principal principal) {
            if (notPrincipal) {
                if (principals.contains(principal)) {
                    return Reach.NONE;
                }
                if (principal.kind() == Principal.Kind.ANYONE) {
                    return Reach.ALL_BUT_LISTED;
                }
                // A role of a listed account may be exempt too (IAM compares session and account ARNs): keep it.
                boolean sameAccount = principal.account() != null
                        && principals.stream().anyMatch(p -> principal.account().equals(p.account()));
                return sameAccount ? Reach.NONE : Reach.ALL;
            }
            if (principals.contains(Principal.ANYONE_PRINCIPAL) || principals.contains(principal)) {
                return Reach.ALL;
            }
            return Reach.NONE;
        }

        private static Audience bound(Audience narrowed, Audience from) {
            return from.kind() == Audience.Kind.NETWORK ? uncertain(narrowed, "only callers from "
                    + String.join(", ", from.networks())) : narrowed;
        }

        /** What of {@code audience} is left to {@code listed}, the one principal a NotPrincipal Deny spares. */
        private static Audience within(Audience audience, Principal listed) {
            Audience own = audience(listed, List.of(), null);
            if (audience.kind() == Audience.Kind.ANYONE || own.kind() == Audience.Kind.NOBODY
                    || own.kind() == Audience.Kind.UNKNOWN || audience.kind() == Audience.Kind.UNKNOWN) {
                return audience.certain() || own.kind() == Audience.Kind.NOBODY ? own
                        : uncertain(own, String.valueOf(audience.reason()));
            }
            if (audience.kind() == Audience.Kind.ACCOUNTS && own.kind() == Audience.Kind.ACCOUNTS) {
                return audience.accounts().containsAll(own.accounts()) ? new Audience(own.kind(), own.accounts(),
                        Set.of(), Set.of(), audience.via(), audience.certain(), audience.reason())
                        : Audience.nobody("the conditions admit no caller of " + listed.value());
            }
            // Anyone of an organisation or a network, or a service for any account, narrowed to one principal: at
            // most that principal, if it is in that organisation or network at all.
            return uncertain(own, "only if " + listed.value() + " meets statement conditions on "
                    + audience.kind().name().toLowerCase(java.util.Locale.ROOT));
        }

        /** The audience that stays once everyone outside the Deny's accounts, organisations or networks is barred. */
        private Audience narrow(Audience audience, Principal principal) {
            Set<String> allowed = except.values();
            Dimension dimension = except.dimension();
            return switch (audience.kind()) {
                case ANYONE, ANY_ACCOUNT_THROUGH_SERVICE, NETWORK -> switch (dimension) {
                    // A network's callers narrowed to accounts: those accounts at most, if they use that network.
                    case ACCOUNTS -> bound(new Audience(Audience.Kind.ACCOUNTS, allowed, Set.of(), Set.of(),
                            audience.via(), audience.certain(), audience.reason()), audience);
                    case ORGANIZATIONS -> bound(new Audience(Audience.Kind.ORGANIZATIONS, Set.of(), allowed, Set.of(),
                            audience.via(), audience.certain(), audience.reason()), audience);
                    default -> new Audience(audience.kind() == Audience.Kind.ANY_ACCOUNT_THROUGH_SERVICE
                            ? audience.kind() : Audience.Kind.NETWORK, Set.of(), Set.of(), allowed, audience.via(),
                            audience.certain(), audience.reason());
                };
                case ACCOUNTS -> {
                    if (dimension != Dimension.ACCOUNTS) {
                        yield audience;
                    }
                    Set<String> both = new TreeSet<>(audience.accounts());
                    both.retainAll(allowed);
                    if (!both.isEmpty()) {
                        yield new Audience(Audience.Kind.ACCOUNTS, both, Set.of(), Set.of(), audience.via(),
                                audience.certain(), audience.reason());
                    }
                    // Only the caller's own account keys bar a named principal for sure; aws:SourceAccount and
                    // aws:SourceArn speak of the resource a service acts for.
                    String key = except.term().key().toLowerCase(java.util.Locale.ROOT);
                    yield key.startsWith("aws:source") ? uncertain(audience, "Deny statement " + index
                            + " bars requests not made for " + String.join(", ", allowed))
                            : Audience.nobody("Deny statement " + index + " bars " + principal.value());
                }
                case ORGANIZATIONS -> {
                    if (dimension == Dimension.ACCOUNTS) {
                        // Members of the organisation among these accounts: at most these, if they are members.
                        yield uncertain(new Audience(Audience.Kind.ACCOUNTS, allowed, Set.of(), Set.of(),
                                audience.via(), audience.certain(), audience.reason()), "only those of "
                                + String.join(", ", allowed) + " that are in " + String.join(", ",
                                        audience.organizations()));
                    }
                    if (dimension != Dimension.ORGANIZATIONS) {
                        yield audience;
                    }
                    Set<String> both = new TreeSet<>(audience.organizations());
                    both.retainAll(allowed);
                    yield both.isEmpty() ? Audience.nobody("Deny statement " + index + " bars these organisations")
                            : new Audience(Audience.Kind.ORGANIZATIONS, Set.of(), both, Set.of(), audience.via(),
                                    audience.certain(), audience.reason());
                }
                case NOBODY, UNKNOWN -> audience;
            };
        }
    }
}
