package dev.unusd.hub.notify;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.rule.Severity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends each tenant's weekly report once a week, at its day and time in its schedule's time zone. A periodic check
 * (any hub instance) finds the reports that are due; a report is written to the outbox in the transaction that
 * records its week (notification_weekly_reports, db/migration/V110), so it exists once however many instances look
 * and whatever crashes in between. Its event id is derived from tenant and week: a receiver sees one id per week.
 */
@Component
class WeeklyReports {

    private static final Logger log = LoggerFactory.getLogger(WeeklyReports.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A report more than this late (the hubs were down, or the tenant moved its time to one already past) is skipped:
     * a Monday report arriving on Wednesday is noise, and the next one comes on time.
     */
    static final Duration LATEST = Duration.ofDays(1);

    private record Due(UUID tenantId, ZonedDateTime at, String week) {
    }

    private final JdbcClient jdbc;
    private final NotificationChannels channels;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final CrashPoints crashPoints;
    private final String publicUrl;

    WeeklyReports(JdbcClient jdbc, NotificationChannels channels, Outbox outbox, TransactionTemplate tx,
            CrashPoints crashPoints, @Value("${hub.public-url}") String publicUrl) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.outbox = outbox;
        this.tx = tx;
        this.crashPoints = crashPoints;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /** Sends every report due at {@code now} that was not sent yet; answers how many tenants got one. */
    int sendDue(Instant now) {
        List<Due> due = jdbc.sql("select * from hub_weekly_report_schedules()")
                .query((rs, i) -> {
                    UUID tenantId = rs.getObject("tenant_id", UUID.class);
                    ZonedDateTime at = lastDue(now, ZoneId.of(rs.getString("timezone")),
                            DayOfWeek.valueOf(rs.getString("day")), rs.getObject("at_time", LocalTime.class));
                    String week = week(at.toLocalDate());
                    String last = rs.getString("last_week");
                    boolean sent = last != null && last.compareTo(week) >= 0;
                    boolean tooLate = Duration.between(at.toInstant(), now).compareTo(LATEST) > 0;
                    return sent || tooLate ? null : new Due(tenantId, at, week);
                })
                .list().stream().filter(d -> d != null).toList();
        int sent = 0;
        for (Due d : due) {
            try {
                Boolean reported = TenantContext.callAs(d.tenantId(), () -> tx.execute(s -> report(d)));
                sent += Boolean.TRUE.equals(reported) ? 1 : 0;
            } catch (RuntimeException e) {
                // One tenant's failure (a database error) must not keep the others' reports back.
                log.error("Weekly report of tenant {} for {} failed; the next check tries again", d.tenantId(),
                        d.week(), e);
            }
        }
        return sent;
    }

    /** The week's report into the outbox, unless an instance got there first (its row commits with the report). */
    private boolean report(Due due) {
        UUID eventId = eventId(due.tenantId(), due.week());
        int claimed = jdbc.sql("""
                insert into notification_weekly_reports (tenant_id, week, event_id, due_at)
                values (?, ?, ?, ?) on conflict (tenant_id, week) do nothing""")
                .params(due.tenantId(), due.week(), eventId, utc(due.at().toInstant())).update();
        if (claimed == 0) {
            return false;
        }
        List<Channel> subscribers = channels.subscribers(due.tenantId(), NotificationEvent.REPORT_WEEKLY);
        String data = JSON.writeValueAsString(build(due));
        for (Channel channel : subscribers) {
            outbox.enqueue(channel, eventId, NotificationEvent.REPORT_WEEKLY, due.at().toInstant(), data);
        }
        crashPoints.reached(CrashPoint.WEEKLY_REPORT_QUEUED);
        log.info("Weekly report queued: tenant={} week={} event={} channels={}", due.tenantId(), due.week(), eventId,
                subscribers.size());
        return true;
    }

    private WeeklyReport build(Due due) {
        Instant at = due.at().toInstant();
        Optional<WeeklyReport.Totals> current = totalsAt(due.tenantId(), at);
        Optional<WeeklyReport.Totals> before = totalsAt(due.tenantId(), at.minus(Duration.ofDays(7)));
        WeeklyReport.@Nullable Trend trend = current.isPresent() && before.isPresent()
                ? WeeklyReport.Trend.between(before.get(), current.get()) : null;
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            bySeverity.put(s.name(), 0L);
        }
        jdbc.sql("select severity, count(*) as n from findings where tenant_id = ? and status = 'OPEN' group by severity")
                .param(due.tenantId())
                .query((rs, i) -> bySeverity.put(rs.getString("severity"), rs.getLong("n"))).list();
        return new WeeklyReport(due.week(), due.at().toLocalDate(), due.at().getZone().getId(), at,
                current.orElse(null), before.orElse(null), trend, bySeverity, publicUrl + "/api/v1/summary");
    }

    /** The tenant's totals as the last scan finished by {@code at} left them. */
    private Optional<WeeklyReport.Totals> totalsAt(UUID tenantId, Instant at) {
        return jdbc.sql("""
                select * from scan_totals where tenant_id = ? and finished_at <= ?
                 order by finished_at desc, scan_id desc limit 1""")
                .params(tenantId, utc(at))
                .query((rs, i) -> new WeeklyReport.Totals(rs.getObject("scan_id", UUID.class),
                        rs.getObject("finished_at", OffsetDateTime.class).toInstant(),
                        rs.getBigDecimal("monthly_cost_usd"), rs.getBigDecimal("potential_monthly_savings_usd"),
                        rs.getLong("open_findings"), rs.getLong("cost_unknown_keys")))
                .optional();
    }

    /**
     * The last time at or before {@code now} the report was due: the day and local time in the zone. A time that a
     * daylight-saving change skips moves forward by the gap; one it repeats is the first of the two.
     */
    static ZonedDateTime lastDue(Instant now, ZoneId zone, DayOfWeek day, LocalTime time) {
        LocalDate date = now.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(day));
        ZonedDateTime due = ZonedDateTime.of(date, time, zone);
        return due.toInstant().isAfter(now) ? ZonedDateTime.of(date.minusWeeks(1), time, zone) : due;
    }

    /** "2026-W49": the ISO week (Monday to Sunday) of a local day; sorts in time order. */
    static String week(LocalDate day) {
        return "%04d-W%02d".formatted(day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The same for every instance and every attempt: the receivers' idempotency key for the tenant's week. */
    static UUID eventId(UUID tenantId, String week) {
        return UUID.nameUUIDFromBytes(("report.weekly:" + tenantId + ":" + week).getBytes(StandardCharsets.UTF_8));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
