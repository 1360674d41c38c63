package dev.unusd.hub.rule;

import java.util.ArrayList;
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

    /**
     * Save the policy as it is, then put it back without every exposure of the key, public and outside alike: a fix
     * built from one finding's exposures alone would put back what the other finding's fix took out. When no policy
     * can be offered safely, the finding says what to edit by hand instead. Returns what the detail adds.
     */
    static String fixPolicy(KeySnapshot key, Exposure exposure, List<String> cli) {
        cli.add(Remediation.getKeyPolicy(key.keyId(), key.region()));
        String policy = key.access().policy();
        if (policy == null) {
            return "";
        }
        List<Exposure.Exposed> all = new ArrayList<>(exposure.publicAccess());
        all.addAll(exposure.outside());
        PolicyFix fix = PolicyFix.of(policy, key.awsAccountId(), all).orElse(null);
        if (fix == null) {
            return "";
        }
        if (fix.policy() == null) {
            return " No put-key-policy command is offered: " + fix.byHand() + ". Edit policy.json by hand ("
                    + String.join("; ", fix.edits()) + "), then put it back with aws kms put-key-policy --policy"
                    + " file://policy.json.";
        }
        cli.add(Remediation.putKeyPolicy(key.keyId(), key.region(), fix.policy()));
        boolean both = fromPolicy(exposure.publicAccess()) && fromPolicy(exposure.outside());
        return both ? " The put-key-policy command removes the public and the cross-account access together:"
                + " KEY_POLICY_PUBLIC and KEY_CROSS_ACCOUNT_ACCESS offer the same one." : "";
    }

    private static boolean fromPolicy(List<Exposure.Exposed> exposures) {
        return exposures.stream().anyMatch(e -> e.entry().source().statement() != null);
    }
}
