package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A key's access as the API and finding evidence show it: plain maps and lists, in the order a reader wants them,
 * absent facts left out.
 */
public final class AccessDocument {

    private AccessDocument() {
    }

    /** The {@code access} summary of a key: status, what is unknown, public or not, outside accounts, every principal. */
    public static Map<String, Object> summary(KeyAccess access, Trust trust) {
        Exposure exposure = Exposure.judge(access, trust);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", access.status().name());
        summary.put("unknown", access.unknown());
        summary.put("public", verdict(!exposure.publicAccess().isEmpty(), exposure.publicUndecided()));
        summary.put("crossAccount", verdict(!exposure.outside().isEmpty(), exposure.outsideUndecided()));
        Set<String> outside = new java.util.TreeSet<>();
        exposure.outside().forEach(e -> outside.addAll(e.outsideAccounts()));
        summary.put("outsideAccounts", List.copyOf(outside));
        List<String> undecided = new ArrayList<>(exposure.publicUndecided());
        exposure.outsideUndecided().stream().filter(u -> !undecided.contains(u)).forEach(undecided::add);
        summary.put("undecided", undecided);
        summary.put("principals", access.entries().stream().map(e -> entry(e, trust)).toList());
        summary.put("notes", access.notes());
        return summary;
    }

    /** YES a finding holds, NO none does, UNKNOWN neither could be ruled out. */
    private static String verdict(boolean holds, List<String> undecided) {
        return holds ? "YES" : undecided.isEmpty() ? "NO" : "UNKNOWN";
    }

    /** One principal's access, with whether the tenant trusts it (null when that cannot be told). */
    public static Map<String, Object> entry(AccessEntry entry, Trust trust) {
        Map<String, Object> map = entry(entry);
        map.put("trusted", trusted(entry.audience(), trust));
        return map;
    }

    public static Map<String, Object> entry(AccessEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        Principal principal = entry.principal();
        map.put("principal", principal.value());
        map.put("principalType", principal.kind().name());
        if (principal.account() != null) {
            map.put("account", principal.account());
        }
        map.put("actions", entry.everyKmsAction() ? List.of("kms:*") : List.copyOf(entry.actions()));
        Audience audience = entry.audience();
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("kind", audience.kind().name());
        if (!audience.accounts().isEmpty()) {
            who.put("accounts", List.copyOf(audience.accounts()));
        }
        if (!audience.organizations().isEmpty()) {
            who.put("organizations", List.copyOf(audience.organizations()));
        }
        if (!audience.networks().isEmpty()) {
            who.put("networks", List.copyOf(audience.networks()));
        }
        if (audience.via() != null) {
            who.put("via", audience.via());
        }
        who.put("certain", audience.certain());
        if (audience.reason() != null) {
            who.put("reason", audience.reason());
        }
        map.put("audience", who);
        map.put("conditions", entry.conditions().stream().map(c -> {
            Map<String, Object> term = new LinkedHashMap<>();
            term.put("operator", c.operator());
            term.put("key", c.key());
            term.put("values", c.values());
            term.put("effect", c.effect());
            return term;
        }).toList());
        AccessEntry.Source source = entry.source();
        Map<String, Object> from = new LinkedHashMap<>();
        if (source.grantId() != null) {
            from.put("grantId", source.grantId());
        } else {
            from.put("statement", source.statement());
            if (source.sid() != null) {
                from.put("sid", source.sid());
            }
        }
        if (!source.narrowedBy().isEmpty()) {
            from.put("narrowedByDenyStatements", source.narrowedBy());
        }
        map.put("source", from);
        return map;
    }

    private static Boolean trusted(Audience audience, Trust trust) {
        return switch (audience.kind()) {
            case NOBODY -> Boolean.TRUE;
            case ANYONE, ANY_ACCOUNT_THROUGH_SERVICE -> audience.certain() ? Boolean.FALSE : null;
            case ACCOUNTS -> trust.accounts().containsAll(audience.accounts()) ? Boolean.TRUE
                    : audience.certain() ? Boolean.FALSE : null;
            case ORGANIZATIONS -> trust.organizations().containsAll(audience.organizations()) ? Boolean.TRUE : null;
            case NETWORK, UNKNOWN -> null;
        };
    }
}
