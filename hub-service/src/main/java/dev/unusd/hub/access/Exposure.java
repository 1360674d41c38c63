package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key's access judged against what the tenant trusts. {@code publicAccess}: entries any AWS account or anonymous
 * caller can use; {@code outside}: entries that let in an account or principal outside the trust (public ones not
 * repeated); the undecided lists say why a finding could not be ruled out, for each question.
 */
public record Exposure(List<Exposed> publicAccess, List<Exposed> outside, List<String> publicUndecided,
        List<String> outsideUndecided) {

    /** An entry and the outside accounts it lets in (empty for anyone, or any account through a service). */
    public record Exposed(AccessEntry entry, Set<String> outsideAccounts) {
        public Exposed {
            outsideAccounts = Collections.unmodifiableSortedSet(new TreeSet<>(outsideAccounts));
        }
    }

    public static Exposure judge(KeyAccess access, Trust trust) {
        List<Exposed> publicAccess = new ArrayList<>();
        List<Exposed> outside = new ArrayList<>();
        List<String> publicUndecided = new ArrayList<>();
        List<String> outsideUndecided = new ArrayList<>();
        access.unknown().forEach((part, reason) -> {
            String why = part + " " + reason;
            outsideUndecided.add(why);
            if (part.equals(KeyAccess.KEY_POLICY)) {
                publicUndecided.add(why);
            }
        });
        for (AccessEntry entry : access.entries()) {
            Audience audience = entry.audience();
            String where = entry.source().describe() + ": ";
            switch (audience.kind()) {
                case NOBODY -> {
                }
                case UNKNOWN -> {
                    publicUndecided.add(where + audience.reason());
                    outsideUndecided.add(where + audience.reason());
                }
                case ANYONE -> {
                    if (audience.certain()) {
                        publicAccess.add(new Exposed(entry, Set.of()));
                    } else {
                        publicUndecided.add(where + audience.reason());
                        outsideUndecided.add(where + audience.reason());
                    }
                }
                case ANY_ACCOUNT_THROUGH_SERVICE -> {
                    if (audience.certain()) {
                        outside.add(new Exposed(entry, Set.of()));
                    } else {
                        outsideUndecided.add(where + audience.reason());
                    }
                }
                case ACCOUNTS -> {
                    Set<String> foreign = new TreeSet<>(audience.accounts());
                    foreign.removeAll(trust.accounts());
                    if (foreign.isEmpty()) {
                        break;
                    }
                    if (audience.certain()) {
                        outside.add(new Exposed(entry, foreign));
                    } else {
                        outsideUndecided.add(where + "accounts " + String.join(", ", foreign) + ", unless "
                                + audience.reason());
                    }
                }
                case ORGANIZATIONS -> {
                    Set<String> foreign = new TreeSet<>(audience.organizations());
                    foreign.removeAll(trust.organizations());
                    if (!foreign.isEmpty()) {
                        outsideUndecided.add(where + "callers of organisation " + String.join(", ", foreign)
                                + ", which is not known to be the tenant's");
                    }
                }
                case NETWORK -> outsideUndecided.add(where + "callers from " + String.join(", ",
                        audience.networks()) + ", whose accounts are not known");
            }
        }
        return new Exposure(publicAccess, outside, publicUndecided, outsideUndecided);
    }
}
