package dev.unusd.hub.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;

/** The tenant's totals as each finished scan left them (scan_totals, V90): the overview's charts. */
@Service
class Trends {

    static final int DAYS = 90;

    private final JdbcClient jdbc;

    Trends(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Point(Instant at, BigDecimal monthlyCostUsd, BigDecimal potentialMonthlySavingsUsd, long openFindings,
            long costUnknownKeys) {
    }

    /** Oldest first, scans finished in the last {@link #DAYS} days of the tenant in context. */
    @Transactional(readOnly = true)
    List<Point> lastDays(Instant now) {
        return jdbc.sql("""
                SELECT finished_at, monthly_cost_usd, potential_monthly_savings_usd, open_findings, cost_unknown_keys
                  FROM scan_totals
                 WHERE tenant_id = ? AND finished_at >= ?
                 ORDER BY finished_at, scan_id""")
                .params(TenantContext.require(), OffsetDateTime.ofInstant(now.minusSeconds(DAYS * 86_400L),
                        java.time.ZoneOffset.UTC))
                .query((rs, i) -> new Point(rs.getObject("finished_at", OffsetDateTime.class).toInstant(),
                        rs.getBigDecimal("monthly_cost_usd"), rs.getBigDecimal("potential_monthly_savings_usd"),
                        rs.getLong("open_findings"), rs.getLong("cost_unknown_keys")))
                .list();
    }
}
