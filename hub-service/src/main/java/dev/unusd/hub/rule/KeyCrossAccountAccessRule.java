package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.unusd.hub.access.AccessDocument;
import dev.unusd.hub.access.Audience;
import dev.unusd.hub.access.Exposure;
import dev.unusd.hub.access.Trust;
import dev.unusd.hub.kms.KeySnapshot;

/**
 * KEY_CROSS_ACCOUNT_ACCESS (HIGH): a principal outside the tenant's trust (the key's account, the tenant's registered
 * accounts, its trustedAccounts) can use or manage a customer-managed key, by the key policy or by a grant; an AWS
 * service that may act for any account counts too. Public access is KEY_POLICY_PUBLIC's, not repeated here. When the
 * outside callers depend on something the hub cannot tell (an organisation not known to be the tenant's, a network,
 * an unread policy or grant list), the verdict is undecided, never a finding.
 */
public final class KeyCrossAccountAccessRule implements Rule {

    static final String TITLE = "Key usable from outside the trusted accounts";

    @Override
    public FindingType type() {
        return FindingType.KEY_CROSS_ACCOUNT_ACCESS;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        Verdict before = KeyAccessJudgement.beforeAccess(key);
        if (before != null) {
            return before;
        }
        Trust trust = settings.trustFor(key.awsAccountId());
        Exposure exposure = KeyAccessJudgement.exposure(key, settings);
        if (exposure.outside().isEmpty()) {
            return exposure.outsideUndecided().isEmpty() ? Verdict.CLEAR
                    : new Verdict.Undecided("access: " + String.join("; ", exposure.outsideUndecided()));
        }
        Set<String> who = new LinkedHashSet<>();
        Set<String> outsideAccounts = new TreeSet<>();
        boolean byPolicy = false;
        Set<String> grants = new LinkedHashSet<>();
        for (Exposure.Exposed exposed : exposure.outside()) {
            outsideAccounts.addAll(exposed.outsideAccounts());
            who.add(describe(exposed) + " (" + exposed.entry().source().describe() + ")");
            if (exposed.entry().source().grantId() != null) {
                grants.add(exposed.entry().source().grantId());
            } else {
                byPolicy = true;
            }
        }
        String detail = String.join("; ", who) + " can use or manage this key, and none is the key's account, a"
                + " registered account or in trustedAccounts. Remove or narrow the statement (aws:SourceAccount,"
                + " kms:CallerAccount), revoke the grant, or add a third party you trust to trustedAccounts.";
        List<String> cli = new ArrayList<>();
        if (byPolicy) {
            detail += KeyAccessJudgement.fixPolicy(key, exposure, cli);
        }
        grants.forEach(grant -> cli.add(Remediation.revokeGrant(key.keyId(), key.region(), grant)));
        cli.add(Remediation.exempt(key.keyId(), key.region(), settings));
        return Exemption.holds(key, settings, type(), TITLE, detail, new Evidence()
                .with("outsideAccounts", List.copyOf(outsideAccounts))
                .with("principals", exposure.outside().stream().map(e -> AccessDocument.entry(e.entry(), trust))
                        .toList())
                .with("trustedAccounts", List.copyOf(new TreeSet<>(trust.accounts()))), cli);
    }

    private static String describe(Exposure.Exposed exposed) {
        Audience audience = exposed.entry().audience();
        if (audience.kind() == Audience.Kind.ANY_ACCOUNT_THROUGH_SERVICE) {
            return "any account through " + audience.via();
        }
        String principal = exposed.entry().principal().value();
        String accounts = String.join(", ", exposed.outsideAccounts());
        return principal.contains(accounts) ? principal : principal + " (account " + accounts + ")";
    }
}
