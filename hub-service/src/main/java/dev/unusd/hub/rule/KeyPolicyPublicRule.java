package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.unusd.hub.access.AccessDocument;
import dev.unusd.hub.access.Exposure;
import dev.unusd.hub.access.Trust;
import dev.unusd.hub.kms.KeySnapshot;

/**
 * KEY_POLICY_PUBLIC (CRITICAL): the key policy lets any AWS account, or an anonymous caller, call at least one KMS
 * action on a customer-managed key: {@code "*"} or {@code {"AWS": "*"}} (or Allow with NotPrincipal) with no
 * condition that restricts who calls. A statement the evaluator does not understand is never reported: the verdict
 * is then undecided.
 */
public final class KeyPolicyPublicRule implements Rule {

    static final String TITLE = "Key policy allows public access";

    @Override
    public FindingType type() {
        return FindingType.KEY_POLICY_PUBLIC;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        Verdict before = KeyAccessJudgement.beforeAccess(key);
        if (before != null) {
            return before;
        }
        Trust trust = settings.trustFor(key.awsAccountId());
        Exposure exposure = KeyAccessJudgement.exposure(key, settings);
        if (exposure.publicAccess().isEmpty()) {
            return exposure.publicUndecided().isEmpty() ? Verdict.CLEAR
                    : new Verdict.Undecided("key policy: " + String.join("; ", exposure.publicUndecided()));
        }
        Set<String> statements = new LinkedHashSet<>();
        Set<String> actions = new java.util.TreeSet<>();
        for (Exposure.Exposed exposed : exposure.publicAccess()) {
            statements.add(exposed.entry().source().describe());
            actions.addAll(exposed.entry().actions());
        }
        String detail = "Any AWS account, or an anonymous caller, may call " + String.join(", ", actions)
                + " on this key (" + String.join(", ", statements) + "): no condition restricts who calls. Remove the"
                + " statement, or narrow it with kms:CallerAccount or aws:PrincipalOrgID.";
        List<String> cli = new ArrayList<>();
        detail += KeyAccessJudgement.fixPolicy(key, exposure, cli);
        cli.add(Remediation.exempt(key.keyId(), key.region(), settings));
        return Exemption.holds(key, settings, type(), TITLE, detail, new Evidence()
                .with("principals", exposure.publicAccess().stream()
                        .map(e -> AccessDocument.entry(e.entry(), trust)).toList())
                .with("statements", List.copyOf(statements)), cli);
    }
}
