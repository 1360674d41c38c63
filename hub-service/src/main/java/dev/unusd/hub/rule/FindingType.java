package dev.unusd.hub.rule;

/** The finding types of api.md, each with its fixed severity. */
public enum FindingType {
    KEY_UNUSED(Severity.MEDIUM),
    ROTATION_DISABLED(Severity.MEDIUM),
    ROTATION_PERIOD_TOO_LONG(Severity.LOW),
    PENDING_DELETION_IN_USE(Severity.HIGH),
    KEY_POLICY_PUBLIC(Severity.CRITICAL),
    KEY_CROSS_ACCOUNT_ACCESS(Severity.HIGH);

    private final Severity severity;

    FindingType(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
