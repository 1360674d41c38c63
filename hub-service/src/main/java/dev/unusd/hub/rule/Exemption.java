package dev.unusd.hub.rule;

import java.util.List;

import dev.unusd.hub.kms.KeySnapshot;

/** Turns a finding that holds into a verdict: SUPPRESSED for keys with the exception tag, undecided if tags are unknown. */
final class Exemption {

    private Exemption() {
    }

    static Verdict holds(KeySnapshot key, RuleSettings settings, FindingType type, String title, String detail,
            Evidence evidence, List<String> remediation) {
        if (!key.known(KeySnapshot.TAGS)) {
            return new Verdict.Undecided("tags unknown: " + key.unknown().get(KeySnapshot.TAGS));
        }
        return new Verdict.Holds(new FindingDraft(key.keyId(), type, title, detail, evidence.facts(), remediation,
                KeyCost.findingMonthlyUsd(key), settings.exempts(key.tags())));
    }
}
