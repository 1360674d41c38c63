package dev.unusd.hub.rule;

import dev.unusd.hub.tenant.TenantSettings;

/** What the rules take from a tenant's settings. */
public record RuleSettings(int unusedDays, int maxRotationPeriodDays, String exemptTagKey, String exemptTagValue) {

    public static RuleSettings of(TenantSettings settings) {
        return new RuleSettings(settings.unusedDays(), settings.maxRotationPeriodDays(), settings.exceptionTag().key(),
                settings.exceptionTag().value());
    }

    /** The key carries the tenant's exception tag: its findings are SUPPRESSED. */
    public boolean exempts(java.util.Map<String, String> tags) {
        return exemptTagValue.equals(tags.get(exemptTagKey));
    }

    public static RuleSettings defaults() {
        return of(TenantSettings.defaults());
    }
}
