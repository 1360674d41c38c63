package dev.unusd.hub.rule;

import java.time.Instant;

import dev.unusd.hub.kms.KeySnapshot;

/** One finding type's rule: a pure function of a key snapshot, the tenant's settings and the moment of judgement. */
public interface Rule {

    FindingType type();

    Verdict judge(KeySnapshot key, RuleSettings settings, Instant now);
}
