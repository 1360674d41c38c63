package dev.unusd.hub.tenant;

import dev.unusd.hub.db.DbTime;
import java.time.Instant;
import java.util.HashSet;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

@Service
class SettingsService {

    private final TenantSettingsRows rows;
    private final ApplicationEventPublisher events;

    SettingsService(TenantSettingsRows rows, ApplicationEventPublisher events) {
        this.rows = rows;
        this.events = events;
    }

    @Transactional(readOnly = true)
    TenantSettings current() {
        return rows.findById(TenantContext.require()).map(TenantSettingsRow::toSettings)
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
    }

    /** Replaces the settings; listeners of {@link TenantSettingsChanged} (the schedule) change in this transaction. */
    @Transactional
    TenantSettings replace(TenantSettings settings) {
        if (new HashSet<>(settings.defaultRegions()).size() != settings.defaultRegions().size()) {
            throw ApiException.badRequest("defaultRegions", "must not repeat a region");
        }
        TenantSettingsRow row = rows.findById(TenantContext.require())
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
        row.apply(settings, DbTime.now());
        TenantSettings saved = row.toSettings();
        events.publishEvent(new TenantSettingsChanged(TenantContext.require(), saved));
        return saved;
    }

}
