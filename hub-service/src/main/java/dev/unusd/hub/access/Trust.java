package dev.unusd.hub.access;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a tenant trusts with a key: the key's own account, the tenant's registered accounts, the third-party accounts
 * of its {@code trustedAccounts} setting, and its AWS Organizations when known.
 */
public record Trust(Set<String> accounts, Set<String> organizations) {

    public Trust {
        accounts = Collections.unmodifiableSortedSet(new TreeSet<>(accounts));
        organizations = Collections.unmodifiableSortedSet(new TreeSet<>(organizations));
    }

    public Trust plusAccount(String account) {
        Set<String> more = new TreeSet<>(accounts);
        more.add(account);
        return new Trust(more, organizations);
    }
}
