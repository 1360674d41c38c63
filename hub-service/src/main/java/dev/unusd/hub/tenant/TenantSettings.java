package dev.unusd.hub.tenant;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.unusd.hub.aws.AwsRegions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What a tenant decides about its scans: the exception tag that exempts a key, the thresholds of the rules, the
 * regions new accounts get (none, the default: every region), and the scan schedule (Spring's six-field cron in an
 * IANA time zone).
 */
public record TenantSettings(
        @NotNull @Valid ExceptionTag exceptionTag,
        @NotNull @Min(1) @Max(90) Integer unusedDays,
        @NotNull @Min(90) @Max(2560) Integer maxRotationPeriodDays,
        @NotNull @Size(max = 40) List<@NotNull @AwsRegions.Known String> defaultRegions,
        @NotNull @Valid Schedule schedule) {

    public static final String DEFAULT_CRON = "0 0 6 * * *";

    public static TenantSettings defaults() {
        return new TenantSettings(new ExceptionTag("unusd", "true"), 90, 365, List.of(),
                new Schedule(DEFAULT_CRON, "UTC", true));
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

        /** The first run strictly after {@code instant} by the cron in its time zone, enabled or not; empty if none. */
        public Optional<Instant> nextRunAfter(Instant instant) {
            ZonedDateTime next = CronExpression.parse(cron).next(instant.atZone(ZoneId.of(timezone)));
            return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
        }
    }
}
