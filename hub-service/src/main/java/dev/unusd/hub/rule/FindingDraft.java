package dev.unusd.hub.rule;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A finding as one scan produced it, before reconciliation with the stored findings. {@code suppressed}: the key
 * carries the tenant's exception tag, so the finding is stored as SUPPRESSED rather than OPEN.
 */
public record FindingDraft(String keyId, FindingType type, String title, String detail, Map<String, Object> evidence,
        List<String> remediation, BigDecimal monthlyCostUsd, boolean suppressed) {

    public FindingDraft {
        evidence = Map.copyOf(evidence);
        remediation = List.copyOf(remediation);
    }

    public Severity severity() {
        return type.severity();
    }
}
