package dev.unusd.hub.rule;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.unusd.hub.access.Exposure;
import dev.unusd.hub.access.PolicyFix;
import dev.unusd.hub.kms.KeySnapshot;

/** What the two access rules share: which keys they judge, the key's exposure, and the key-policy remediation. */
final class KeyAccessJudgement {

    private KeyAccessJudgement() {
    }

    /** The verdict before any access is looked at: undecided without DescribeKey, clear for AWS-managed keys. */
    static @Nullable Verdict beforeAccess(KeySnapshot key) {
        if (key.metadata() == null) {
            return new Verdict.Undecided("DescribeKey: " + key.unknown().get(KeySnapshot.METADATA));
        }
        return key.customerManaged() ? null : Verdict.CLEAR;
    }

    static Exposure exposure(KeySnapshot key, RuleSettings settings) {
        return Exposure.judge(key.access().access(), settings.trustFor(key.awsAccountId()));
    }

    /** Save the policy as it is, then put it back without the statements or principals that expose the key. */
    static void fixPolicy(KeySnapshot key, List<Exposure.Exposed> exposures, List<String> cli) {
        cli.add(Remediation.getKeyPolicy(key.keyId(), key.region()));
        String policy = key.access().policy();
        if (policy != null) {
            PolicyFix.without(policy, exposures)
                    .ifPresent(fixed -> cli.add(Remediation.putKeyPolicy(key.keyId(), key.region(), fixed)));
        }
    }
}
