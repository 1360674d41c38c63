package dev.unusd.hub.rule;

public enum Severity {
    LOW(1), MEDIUM(2), HIGH(3), CRITICAL(4);

    private final int rank;

    Severity(int rank) {
        this.rank = rank;
    }

    /** Sortable: CRITICAL 4, HIGH 3, MEDIUM 2, LOW 1 (findings.severity_rank). */
    public int rank() {
        return rank;
    }
}
