package dev.unusd.hub.tenant;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.web.ApiException;

/** What other features read of a tenant. Runs in the caller's tenant context. */
@Service
public class TenantApi {

    private final TenantSettingsRows settings;

    TenantApi(TenantSettingsRows settings) {
        this.settings = settings;
    }

    @Transactional(readOnly = true)
    public TenantSettings settingsOf(UUID tenantId) {
        return settings.findById(tenantId).map(TenantSettingsRow::toSettings)
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
    }
}
