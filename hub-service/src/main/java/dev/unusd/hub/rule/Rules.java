package dev.unusd.hub.rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.unusd.hub.kms.KeySnapshot;

/** Every rule, judging every key of a snapshot. */
public final class Rules {

    public static final List<Rule> ALL = List.of(new KeyUnusedRule(), new RotationDisabledRule(),
            new RotationPeriodTooLongRule(), new PendingDeletionInUseRule(), new KeyPolicyPublicRule(),
            new KeyCrossAccountAccessRule());

    private Rules() {
    }

    /** Findings that hold, and the (key, type) pairs no rule could decide: their stored findings stay as they are. */
    public record Judgement(List<FindingDraft> findings, List<Undecided> undecided) {
    }

    public record Undecided(String keyId, FindingType type, String reason) {
    }

    public static Judgement judge(List<KeySnapshot> keys, RuleSettings settings, Instant now) {
        List<FindingDraft> findings = new ArrayList<>();
        List<Undecided> undecided = new ArrayList<>();
        for (KeySnapshot key : keys) {
            for (Rule rule : ALL) {
                Verdict verdict = rule.judge(key, settings, now);
                if (verdict instanceof Verdict.Holds holds) {
                    findings.add(holds.finding());
                } else if (verdict instanceof Verdict.Undecided u) {
                    undecided.add(new Undecided(key.keyId(), rule.type(), u.reason()));
                }
            }
        }
        return new Judgement(findings, undecided);
    }
}
