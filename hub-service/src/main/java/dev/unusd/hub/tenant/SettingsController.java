package dev.unusd.hub.tenant;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

@RestController
@RequestMapping("/api/v1/settings")
@Tag(name = "Settings")
class SettingsController {

    private final SettingsService settings;

    SettingsController(SettingsService settings) {
        this.settings = settings;
    }

    /** The settings as answered: the schedule also says when it runs next. */
    @Schema(name = "Settings")
    record SettingsView(TenantSettings.ExceptionTag exceptionTag, int unusedDays, int maxRotationPeriodDays,
            List<String> defaultRegions, ScheduleView schedule,
            @Schema(description = "Third-party accounts trusted with the tenant's keys") List<String> trustedAccounts,
            @Schema(description = "When the weekly report goes out, in the schedule's time zone")
            TenantSettings.WeeklyReport weeklyReport) {

        static SettingsView of(TenantSettings s, Instant now) {
            TenantSettings.Schedule schedule = s.schedule();
            return new SettingsView(s.exceptionTag(), s.unusedDays(), s.maxRotationPeriodDays(), s.defaultRegions(),
                    new ScheduleView(schedule.cron(), schedule.timezone(), schedule.enabled(),
                            schedule.enabled() ? schedule.nextRunAfter(now).orElse(null) : null), s.trusted(),
                    s.weekly());
        }
    }

    @Schema(name = "SettingsSchedule")
    record ScheduleView(String cron, String timezone, boolean enabled,
            @Schema(accessMode = Schema.AccessMode.READ_ONLY, description = "When the next scheduled scan starts;"
                    + " null when the schedule is disabled. Ignored in a PUT") @Nullable Instant nextRunAt) {
    }

    @GetMapping
    @Operation(summary = "The tenant's rule thresholds, exception tag, default regions, scan schedule, trusted"
            + " accounts and weekly report time")
    SettingsView get() {
        return SettingsView.of(settings.current(), Instant.now());
    }

    @PutMapping
    @Operation(summary = "Replace the settings; a schedule change takes effect at once. The schedule must fire at"
            + " least once a year and at most once an hour (HUB_SCHEDULE_MIN_INTERVAL)")
    SettingsView put(@Valid @RequestBody TenantSettings request) {
        return SettingsView.of(settings.replace(request), Instant.now());
    }
}
