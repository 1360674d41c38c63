package dev.unusd.hub.tenant;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.unusd.hub.aws.AwsRegions;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a tenant decides about its scans: the exception tag that exempts a key, the thresholds of the rules, the
 * regions new accounts get (none, the default: every region), the scan schedule (Spring's six-field cron in an
 * IANA time zone), and the third-party accounts it trusts with its keys.
 */
public record TenantSettings(
        @NotNull @Valid ExceptionTag exceptionTag,
        @NotNull @Min(1) @Max(90) Integer unusedDays,
        @NotNull @Min(90) @Max(2560) Integer maxRotationPeriodDays,
        @NotNull @Size(max = 40) List<@NotNull @AwsRegions.Scannable String> defaultRegions,
        @NotNull @Valid Schedule schedule,
        @Schema(description = "12-digit ids of third-party accounts the tenant trusts with its keys: their access is"
                + " not KEY_CROSS_ACCOUNT_ACCESS. Left out of a PUT, it keeps its value")
        @Nullable @Size(max = 100) List<@NotNull @Pattern(regexp = "[0-9]{12}",
                message = "must be a 12-digit AWS account id") String> trustedAccounts,
        @Schema(description = "When the weekly report (report.weekly) goes out, in the schedule's time zone. Left out"
                + " of a PUT, it keeps its value")
        @Nullable @Valid WeeklyReport weeklyReport) {

    public static final String DEFAULT_CRON = "0 0 6 * * *";

    public static TenantSettings defaults() {
        return new TenantSettings(new ExceptionTag("unusd", "true"), 90, 365, List.of(),
                new Schedule(DEFAULT_CRON, "UTC", true), List.of(), WeeklyReport.DEFAULT);
    }

    /** The trusted accounts, none when not given. */
    public List<String> trusted() {
        return trustedAccounts == null ? List.of() : trustedAccounts;
    }

    /** The weekly report, the default one when not given. */
    public WeeklyReport weekly() {
        return weeklyReport == null ? WeeklyReport.DEFAULT : weeklyReport;
    }

    /**
     * The day of the week and local time (in {@link Schedule#timezone()}) the weekly report is sent at. The schedule's
     * time zone, not one of its own: a tenant has one working week, and its scans and its report share it.
     */
    public record WeeklyReport(
            @NotNull DayOfWeek dayOfWeek,
            @NotNull @Schema(type = "string", example = "08:00", description = "HH:mm or HH:mm:ss") LocalTime time) {

        public static final WeeklyReport DEFAULT = new WeeklyReport(DayOfWeek.MONDAY, LocalTime.of(8, 0));
    }

    public record ExceptionTag(
            @NotBlank @Size(max = 128) String key,
            @NotNull @Size(max = 256) String value) {
    }

    /** {@code nextRunAt}, which settings answers carry, is ignored in a request: a read document can be sent back. */
    @JsonIgnoreProperties(value = "nextRunAt", allowGetters = true)
    public record Schedule(
            @NotNull @ValidCron String cron,
            @NotNull @ValidTimezone String timezone,
            @NotNull Boolean enabled) {

        /**
         * The first run strictly after {@code instant} by the cron on its time zone's wall clock, enabled or not; empty
         * if none. Each local time runs once across daylight-saving changes ({@link WallClockCron}).
         */
        public Optional<Instant> nextRunAfter(Instant instant) {
            return WallClockCron.next(CronExpression.parse(cron), ZoneId.of(timezone), instant);
        }
    }
}
