package dev.unusd.hub.access;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The KMS actions a key policy can name, so that wildcards ({@code kms:*}, {@code kms:Get*}) and NotAction expand to
 * sets that Deny statements can be subtracted from. Action names are case-insensitive in IAM.
 */
final class KmsActions {

    static final Set<String> ALL = Set.copyOf(List.of("kms:CancelKeyDeletion", "kms:ConnectCustomKeyStore",
            "kms:CreateAlias", "kms:CreateCustomKeyStore", "kms:CreateGrant", "kms:CreateKey", "kms:Decapsulate",
            "kms:Decrypt", "kms:DeleteAlias", "kms:DeleteCustomKeyStore", "kms:DeleteImportedKeyMaterial",
            "kms:DeriveSharedSecret", "kms:DescribeCustomKeyStores", "kms:DescribeKey", "kms:DisableKey",
            "kms:DisableKeyRotation", "kms:DisconnectCustomKeyStore", "kms:EnableKey", "kms:EnableKeyRotation",
            "kms:Encapsulate", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateMac",
            "kms:GenerateRandom", "kms:GetKeyLastUsage", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
            "kms:GetParametersForImport", "kms:GetPublicKey", "kms:ImportKeyMaterial", "kms:ListAliases",
            "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListKeys", "kms:ListResourceTags",
            "kms:ListRetirableGrants", "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:ReplicateKey",
            "kms:RetireGrant", "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:Sign",
            "kms:SynchronizeMultiRegionKey", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
            "kms:UpdateCustomKeyStore", "kms:UpdateKeyDescription", "kms:UpdatePrimaryRegion", "kms:Verify",
            "kms:VerifyMac"));

    /** Each action by its lower-case name: names are matched case-insensitively, and most patterns are a name. */
    private static final Map<String, String> BY_LOWER_CASE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(a -> a.toLowerCase(Locale.ROOT), a -> a));

    /**
     * What each wildcard seen so far expands to: key policies repeat a few ({@code kms:*} is in nearly every one).
     * Bounded, since customers write the patterns; past the bound a wildcard is expanded each time.
     */
    private static final Map<String, SortedSet<String>> WILDCARDS = new ConcurrentHashMap<>();
    private static final int MAX_WILDCARDS = 1024;

    private KmsActions() {
    }

    /**
     * The KMS actions the patterns match; a KMS action we do not know yet stays as written (it is still access).
     * Patterns of other services ({@code s3:*}) match nothing. Evaluated for every statement of every key at every
     * scan: a name is looked up, a wildcard expanded once.
     */
    static Set<String> matching(Collection<String> patterns) {
        Set<String> matched = new TreeSet<>();
        for (String pattern : patterns) {
            String name = pattern.toLowerCase(Locale.ROOT);
            if (name.indexOf('*') < 0 && name.indexOf('?') < 0) {
                String known = BY_LOWER_CASE.get(name);
                if (known != null) {
                    matched.add(known);
                } else if (name.startsWith("kms:")) {
                    matched.add(pattern);
                }
                continue;
            }
            matched.addAll(expanded(name));
        }
        return matched;
    }

    /** The actions a lower-case wildcard matches, sorted. */
    private static SortedSet<String> expanded(String wildcard) {
        SortedSet<String> known = WILDCARDS.get(wildcard);
        if (known != null) {
            return known;
        }
        Pattern regex = glob(wildcard);
        SortedSet<String> matched = new TreeSet<>();
        BY_LOWER_CASE.forEach((lowerCase, action) -> {
            if (regex.matcher(lowerCase).matches()) {
                matched.add(action);
            }
        });
        SortedSet<String> expansion = Collections.unmodifiableSortedSet(matched);
        if (WILDCARDS.size() < MAX_WILDCARDS) {
            WILDCARDS.putIfAbsent(wildcard, expansion);
        }
        return expansion;
    }

    /** Everything but what the patterns match (NotAction). */
    static Set<String> except(Collection<String> patterns) {
        Set<String> rest = new TreeSet<>(ALL);
        rest.removeAll(matching(patterns));
        return rest;
    }

    /** IAM's action globs: {@code *} any run of characters, {@code ?} one, case-insensitive. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
