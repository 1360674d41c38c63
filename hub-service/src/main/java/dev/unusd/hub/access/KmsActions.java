package dev.unusd.hub.access;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The KMS actions a key policy can name, so that wildcards ({@code kms:*}, {@code kms:Get*}) and NotAction expand to
 * sets that Deny statements can be subtracted from. Action names are case-insensitive in IAM.
 */
final class KmsActions {

    static final Set<String> ALL = Set.copyOf(List.of("kms:CancelKeyDeletion", "kms:ConnectCustomKeyStore",
            "kms:CreateAlias", "kms:CreateCustomKeyStore", "kms:CreateGrant", "kms:CreateKey", "kms:Decrypt",
            "kms:DeleteAlias", "kms:DeleteCustomKeyStore", "kms:DeleteImportedKeyMaterial", "kms:DeriveSharedSecret",
            "kms:DescribeCustomKeyStores", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation",
            "kms:DisconnectCustomKeyStore", "kms:EnableKey", "kms:EnableKeyRotation", "kms:Encrypt",
            "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
            "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateMac", "kms:GenerateRandom", "kms:GetKeyLastUsage",
            "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetParametersForImport", "kms:GetPublicKey",
            "kms:ImportKeyMaterial", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations",
            "kms:ListKeys", "kms:ListResourceTags", "kms:ListRetirableGrants", "kms:PutKeyPolicy", "kms:ReEncryptFrom",
            "kms:ReEncryptTo", "kms:ReplicateKey", "kms:RetireGrant", "kms:RevokeGrant", "kms:RotateKeyOnDemand",
            "kms:ScheduleKeyDeletion", "kms:Sign", "kms:SynchronizeMultiRegionKey", "kms:TagResource",
            "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateCustomKeyStore", "kms:UpdateKeyDescription",
            "kms:UpdatePrimaryRegion", "kms:Verify", "kms:VerifyMac"));

    private KmsActions() {
    }

    /**
     * The KMS actions the patterns match; a KMS action we do not know yet stays as written (it is still access).
     * Patterns of other services ({@code s3:*}) match nothing.
     */
    static Set<String> matching(Collection<String> patterns) {
        Set<String> matched = new TreeSet<>();
        for (String pattern : patterns) {
            Pattern regex = glob(pattern);
            boolean any = false;
            for (String action : ALL) {
                if (regex.matcher(action.toLowerCase(Locale.ROOT)).matches()) {
                    matched.add(action);
                    any = true;
                }
            }
            if (!any && pattern.toLowerCase(Locale.ROOT).startsWith("kms:") && !pattern.contains("*")
                    && !pattern.contains("?")) {
                matched.add(pattern);
            }
        }
        return matched;
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
