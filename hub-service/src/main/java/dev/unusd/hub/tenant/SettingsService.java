package dev.unusd.hub.tenant;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

@Service
class SettingsService {

    private final TenantSettingsRows rows;
    private final ApplicationEventPublisher events;
    private final Duration minScheduleInterval;

    SettingsService(TenantSettingsRows rows, ApplicationEventPublisher events,
            @Value("${hub.schedule.min-interval:1h}") Duration minScheduleInterval) {
        if (minScheduleInterval.isNegative() || minScheduleInterval.compareTo(ScheduleCadence.YEAR) > 0) {
            throw new IllegalStateException("HUB_SCHEDULE_MIN_INTERVAL must be between 0 and 366 days, not "
                    + minScheduleInterval);
        }
        this.rows = rows;
        this.events = events;
        this.minScheduleInterval = minScheduleInterval;
    }

    @Transactional(readOnly = true)
    TenantSettings current() {
        return rows.findById(TenantContext.require()).map(TenantSettingsRow::toSettings)
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
    }

    /**
     * Replaces the settings; listeners of {@link TenantSettingsChanged} (the schedule) change in this transaction. A
     * schedule must fire at least once a year and at most once per HUB_SCHEDULE_MIN_INTERVAL, enabled or not, on its
     * time zone's clock, daylight-saving changes included.
     */
    @Transactional
    TenantSettings replace(TenantSettings settings) {
        if (new HashSet<>(settings.defaultRegions()).size() != settings.defaultRegions().size()) {
            throw ApiException.badRequest("defaultRegions", "must not repeat a region");
        }
        if (new HashSet<>(settings.trusted()).size() != settings.trusted().size()) {
            throw ApiException.badRequest("trustedAccounts", "must not repeat an account");
        }
        TenantSettings.Schedule schedule = settings.schedule();
        ScheduleCadence.problem(schedule.cron(), ZoneId.of(schedule.timezone()), minScheduleInterval, DbTime.now())
                .ifPresent(problem -> {
                    throw ApiException.badRequest("schedule.cron", problem);
                });
        TenantSettingsRow row = rows.findById(TenantContext.require())
                .orElseThrow(() -> ApiException.notFound("Tenant settings"));
        row.apply(settings, DbTime.now());
        TenantSettings saved = row.toSettings();
        events.publishEvent(new TenantSettingsChanged(TenantContext.require(), saved));
        return saved;
    }

}
