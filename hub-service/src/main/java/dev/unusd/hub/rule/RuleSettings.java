package dev.unusd.hub.rule;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.unusd.hub.access.Trust;
import dev.unusd.hub.tenant.TenantSettings;

/**
 * What the rules take from a tenant's settings; {@code trust}: the tenant's registered accounts and its trusted
 * third-party accounts (a key's own account is added per key).
 */
public record RuleSettings(int unusedDays, int maxRotationPeriodDays, String exemptTagKey, String exemptTagValue,
        Trust trust) {

    public RuleSettings(int unusedDays, int maxRotationPeriodDays, String exemptTagKey, String exemptTagValue) {
        this(unusedDays, maxRotationPeriodDays, exemptTagKey, exemptTagValue, new Trust(Set.of(), Set.of()));
    }

    /**
     * The tenant's settings, trusting its registered accounts, its {@code trustedAccounts} and the AWS Organizations it
     * onboarded.
     */
    public static RuleSettings of(TenantSettings settings, Set<String> registeredAccounts, Set<String> organizations) {
        Set<String> trusted = new HashSet<>(registeredAccounts);
        trusted.addAll(settings.trusted());
        return new RuleSettings(settings.unusedDays(), settings.maxRotationPeriodDays(), settings.exceptionTag().key(),
                settings.exceptionTag().value(), new Trust(trusted, organizations));
    }

    public static RuleSettings of(TenantSettings settings) {
        return of(settings, Set.of(), Set.of());
    }

    /** The key carries the tenant's exception tag: its findings are SUPPRESSED. */
    public boolean exempts(Map<String, String> tags) {
        return exemptTagValue.equals(tags.get(exemptTagKey));
    }

    /** What is trusted with a key of {@code awsAccountId}: the tenant's trust and the key's own account. */
    public Trust trustFor(String awsAccountId) {
        return trust.plusAccount(awsAccountId);
    }

    public static RuleSettings defaults() {
        return of(TenantSettings.defaults());
    }
}
