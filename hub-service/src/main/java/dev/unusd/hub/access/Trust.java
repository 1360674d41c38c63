package dev.unusd.hub.access;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a tenant trusts with a key: the key's own account, the tenant's registered accounts, the third-party accounts
 * of its {@code trustedAccounts} setting, and its AWS Organizations when known.
 */
public record Trust(Set<String> accounts, Set<String> organizations) {

    public Trust {
        accounts = accounts instanceof PlusOne ? accounts : Collections.unmodifiableSortedSet(new TreeSet<>(accounts));
        organizations = Collections.unmodifiableSortedSet(new TreeSet<>(organizations));
    }

    /**
     * This trust and the key's own account. A view, not a copy: the tenant's trust is built once per target and an
     * organisation registers thousands of accounts, which copied per key would cost more than judging the key.
     */
    public Trust plusAccount(String account) {
        return accounts.contains(account) ? this : new Trust(new PlusOne(accounts, account), organizations);
    }

    private static final class PlusOne extends AbstractSet<String> {

        private final Set<String> base;
        private final String extra;

        PlusOne(Set<String> base, String extra) {
            this.base = base;
            this.extra = extra;
        }

        @Override
        public boolean contains(Object o) {
            return extra.equals(o) || base.contains(o);
        }

        @Override
        public Iterator<String> iterator() {
            return Stream.concat(base.stream(), Stream.of(extra)).iterator();
        }

        @Override
        public int size() {
            return base.size() + 1;
        }
    }
}
