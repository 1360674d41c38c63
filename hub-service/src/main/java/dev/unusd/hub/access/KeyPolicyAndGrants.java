package dev.unusd.hub.access;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A key's policy and grants as a scan read them ({@code null}: not read, the reason is in {@code access}) and who
 * they let use or manage the key.
 */
public record KeyPolicyAndGrants(@Nullable String policy, @Nullable List<Grant> grants, KeyAccess access) {

    public KeyPolicyAndGrants {
        grants = grants == null ? null : List.copyOf(grants);
    }

    public static KeyPolicyAndGrants notRead(String reason) {
        return new KeyPolicyAndGrants(null, null, KeyAccess.notRead(reason));
    }

    public static KeyPolicyAndGrants read(@Nullable String policy, @Nullable String policyUnknown,
            @Nullable List<Grant> grants, @Nullable String grantsUnknown) {
        return new KeyPolicyAndGrants(policy, grants,
                KeyPolicyEvaluator.evaluate(policy, policyUnknown, grants, grantsUnknown));
    }
}
