package dev.unusd.hub.access;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A grant as ListGrants reports it. {@code constraints} says whether it is limited to an encryption context (which
 * restricts what is decrypted, not who decrypts).
 */
public record Grant(String grantId, @Nullable String name, String granteePrincipal,
        @Nullable String retiringPrincipal, List<String> operations, @Nullable String issuingAccount,
        boolean constraints) {

    public Grant {
        operations = List.copyOf(operations);
    }
}
