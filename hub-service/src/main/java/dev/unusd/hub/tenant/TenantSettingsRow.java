package dev.unusd.hub.tenant;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "tenant_settings")
class TenantSettingsRow {

    @Id
    @Column(name = "tenant_id")
    private UUID tenantId;

    @Column(name = "exception_tag_key", nullable = false)
    private String exceptionTagKey;

    @Column(name = "exception_tag_value", nullable = false)
    private String exceptionTagValue;

    @Column(name = "unused_days", nullable = false)
    private int unusedDays;

    @Column(name = "max_rotation_period_days", nullable = false)
    private int maxRotationPeriodDays;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "default_regions", nullable = false, columnDefinition = "text[]")
    private List<String> defaultRegions;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "trusted_accounts", nullable = false, columnDefinition = "text[]")
    private List<String> trustedAccounts = List.of();

    @Column(name = "schedule_cron", nullable = false)
    private String scheduleCron;

    @Column(name = "schedule_timezone", nullable = false)
    private String scheduleTimezone;

    @Column(name = "schedule_enabled", nullable = false)
    private boolean scheduleEnabled;

    @Column(name = "weekly_report_day", nullable = false)
    private String weeklyReportDay = TenantSettings.WeeklyReport.DEFAULT.dayOfWeek().name();

    @Column(name = "weekly_report_time", nullable = false)
    private LocalTime weeklyReportTime = TenantSettings.WeeklyReport.DEFAULT.time();

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TenantSettingsRow() {
    }

    TenantSettingsRow(UUID tenantId, TenantSettings settings, Instant now) {
        this.tenantId = tenantId;
        apply(settings, now);
    }

    void apply(TenantSettings s, Instant now) {
        exceptionTagKey = s.exceptionTag().key();
        exceptionTagValue = s.exceptionTag().value();
        unusedDays = s.unusedDays();
        maxRotationPeriodDays = s.maxRotationPeriodDays();
        defaultRegions = List.copyOf(s.defaultRegions());
        scheduleCron = s.schedule().cron();
        scheduleTimezone = s.schedule().timezone();
        scheduleEnabled = s.schedule().enabled();
        if (s.trustedAccounts() != null) {
            trustedAccounts = List.copyOf(s.trustedAccounts());
        }
        if (s.weeklyReport() != null) {
            weeklyReportDay = s.weeklyReport().dayOfWeek().name();
            weeklyReportTime = s.weeklyReport().time();
        }
        updatedAt = now;
    }

    TenantSettings toSettings() {
        return new TenantSettings(new TenantSettings.ExceptionTag(exceptionTagKey, exceptionTagValue), unusedDays,
                maxRotationPeriodDays, List.copyOf(defaultRegions),
                new TenantSettings.Schedule(scheduleCron, scheduleTimezone, scheduleEnabled),
                List.copyOf(trustedAccounts),
                new TenantSettings.WeeklyReport(DayOfWeek.valueOf(weeklyReportDay), weeklyReportTime));
    }
}
