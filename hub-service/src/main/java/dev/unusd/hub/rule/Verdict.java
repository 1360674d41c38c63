package dev.unusd.hub.rule;

/**
 * What a rule says of one key: the finding holds, it does not, or the rule cannot tell because AWS withheld a field
 * it needs (then the stored finding, if any, is left as it was: unknown evidence resolves nothing).
 */
public sealed interface Verdict {

    record Holds(FindingDraft finding) implements Verdict {
    }

    record Clear() implements Verdict {
    }

    record Undecided(String reason) implements Verdict {
    }

    Verdict CLEAR = new Clear();
}
