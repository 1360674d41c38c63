package dev.unusd.hub.access;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * One principal's access to a key: the KMS actions it may call, the conditions considered, where it comes from, and
 * the audience that results. Entries of one statement share their source.
 */
public record AccessEntry(Principal principal, Set<String> actions, List<ConditionTerm> conditions, Source source,
        Audience audience) {

    public AccessEntry {
        actions = Collections.unmodifiableSortedSet(new TreeSet<>(actions));
        conditions = List.copyOf(conditions);
    }

    /**
     * A key policy statement (index from 0, as in the Statement array, and its Sid) or a grant; {@code narrowedBy}
     * names the Deny statements that took actions away or narrowed who may call.
     */
    public record Source(@Nullable Integer statement, @Nullable String sid, @Nullable String grantId,
            List<Integer> narrowedBy) {

        public Source {
            narrowedBy = List.copyOf(narrowedBy);
        }

        static Source statement(int index, @Nullable String sid) {
            return new Source(index, sid, null, List.of());
        }

        static Source grant(String grantId) {
            return new Source(null, null, grantId, List.of());
        }

        Source narrowedBy(int deny) {
            List<Integer> by = new java.util.ArrayList<>(narrowedBy);
            if (!by.contains(deny)) {
                by.add(deny);
            }
            return new Source(statement, sid, grantId, by);
        }

        /** "statement 2 (Sid AllowCloudTrail)" or "grant 0c237476...". */
        public String describe() {
            if (grantId != null) {
                return "grant " + grantId;
            }
            return "statement " + statement + (sid == null || sid.isEmpty() ? "" : " (Sid " + sid + ")");
        }
    }

    /** Every KMS action (kms:*, or a NotAction that leaves them all). */
    public boolean everyKmsAction() {
        return actions.containsAll(KmsActions.ALL);
    }

    AccessEntry withActions(Set<String> newActions) {
        return new AccessEntry(principal, newActions, conditions, source, audience);
    }
}
