package dev.unusd.hub.rule;

/** A rule's verdict on a fixture, as one word: OPEN, SUPPRESSED, CLEAR or UNDECIDED. */
final class Judge {

    private Judge() {
    }

    static String outcome(Rule rule, KeyFixture key) {
        return outcome(rule, key, RuleSettings.defaults());
    }

    static String outcome(Rule rule, KeyFixture key, RuleSettings settings) {
        Verdict verdict = rule.judge(key.snapshot(), settings, KeyFixture.NOW);
        if (verdict instanceof Verdict.Holds holds) {
            return holds.finding().suppressed() ? "SUPPRESSED" : "OPEN";
        }
        return verdict instanceof Verdict.Undecided ? "UNDECIDED" : "CLEAR";
    }

    static FindingDraft finding(Rule rule, KeyFixture key, RuleSettings settings) {
        return ((Verdict.Holds) rule.judge(key.snapshot(), settings, KeyFixture.NOW)).finding();
    }
}
