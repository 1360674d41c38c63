package dev.unusd.hub.access;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * Who, in the end, can make a call an entry allows: its principal narrowed by its conditions. {@code certain} is false
 * when a condition the model does not understand may narrow it further: the audience is then an upper bound, enough
 * to clear a key but never to report one. {@code via} names the service the calls come through, when one does.
 */
public record Audience(Kind kind, Set<String> accounts, Set<String> organizations, Set<String> networks,
        @Nullable String via, boolean certain, @Nullable String reason) {

    public enum Kind {
        /** Any AWS principal of any account, or anonymous callers. */
        ANYONE,
        /** An AWS service acting for any of its customers, whatever their account (the confused deputy). */
        ANY_ACCOUNT_THROUGH_SERVICE,
        /** Principals of these accounts only. */
        ACCOUNTS,
        /** Principals of these AWS Organizations only. */
        ORGANIZATIONS,
        /** Callers from these networks (VPC, VPC endpoint, IP range): not anyone, but of accounts nobody listed. */
        NETWORK,
        /** Nobody: a deleted principal, or conditions no caller can meet. */
        NOBODY,
        /** The model cannot tell: never safe, never a finding. */
        UNKNOWN
    }

    public Audience {
        accounts = Collections.unmodifiableSortedSet(new TreeSet<>(accounts));
        organizations = Collections.unmodifiableSortedSet(new TreeSet<>(organizations));
        networks = Collections.unmodifiableSortedSet(new TreeSet<>(networks));
    }

    static Audience unknown(String reason) {
        return new Audience(Kind.UNKNOWN, Set.of(), Set.of(), Set.of(), null, false, reason);
    }

    static Audience nobody(String reason) {
        return new Audience(Kind.NOBODY, Set.of(), Set.of(), Set.of(), null, true, reason);
    }
}
