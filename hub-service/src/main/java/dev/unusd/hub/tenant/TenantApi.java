package dev.unusd.hub.tenant;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

/** What other features read of a tenant. Runs in the caller's tenant context. */
@Service
public class TenantApi {

    private final TenantSettingsRows settings;
    private final SettingsService settingsService;
    private final TenantService tenants;
    private final ApiKeyService apiKeys;

    TenantApi(TenantSettingsRows settings, SettingsService settingsService, TenantService tenants,
            ApiKeyService apiKeys) {
        this.settings = settings;
        this.settingsService = settingsService;
        this.tenants = tenants;
        this.apiKeys = apiKeys;
    }

    /** A new tenant and its first API key (shown once). */
    public NewTenant create(String name) {
        TenantService.CreatedTenant created = tenants.create(name);
        return new NewTenant(created.id(), created.apiKey());
    }

    /** The oldest tenant with exactly this name, looked up across tenants: for bootstrapping only. */
    public Optional<UUID> findByName(String name) {
        return tenants.findByName(name);
    }

    /** A fresh API key for a tenant (shown once). */
    public String issueApiKey(UUID tenantId) {
        return TenantContext.callAs(tenantId, () -> apiKeys.issue(tenantId, DbTime.now()).apiKey());
    }

    public record NewTenant(UUID id, String apiKey) {
    }

    /** Replaces the default regions of the tenant in context, keeping its other settings. */
    public TenantSettings changeDefaultRegions(List<String> regions) {
        TenantSettings current = settingsService.current();
        return settingsService.replace(new TenantSettings(current.exceptionTag(), current.unusedDays(),
                current.maxRotationPeriodDays(), List.copyOf(regions), current.schedule(), current.trustedAccounts(),
                current.weeklyReport()));
    }

    @Transactional(readOnly = true)
    public TenantSettings settingsOf(UUID tenantId) {
        return settings.findById(tenantId).map(TenantSettingsRow::toSettings)
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
    }
}
