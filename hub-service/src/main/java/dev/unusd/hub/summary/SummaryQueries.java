package dev.unusd.hub.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.AccountStatus;
import dev.unusd.hub.finding.FindingItem;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;

/**
 * Computes a tenant's summary in two parts: the totals, aggregates over every key and open finding, which change only
 * with the tenant's findings version, and the account rows, a cheap read of its accounts and their last scans.
 */
@Service
class SummaryQueries {

    private final JdbcClient jdbc;

    SummaryQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record StateRow(String state, long keys, long customerManaged, long costUnknown, BigDecimal cost) {
    }

    private record OpenRow(UUID accountId, FindingType type, Severity severity, long count,
            BigDecimal cost) {
    }

    /** Keys and findings summed up, with each account's share of the open findings and savings. */
    record Totals(Summary.Keys keys, Summary.Findings findings, BigDecimal monthlyCostUsd,
            BigDecimal potentialMonthlySavingsUsd, Map<UUID, Long> openByAccount, Map<UUID, BigDecimal> savingsByAccount) {
    }

    /** An account as the summary lists it, before its findings are added. */
    record AccountListing(UUID id, String awsAccountId, String name, AccountStatus status, @Nullable Instant lastScanAt) {
    }

    /** The summary of {@code totals} over {@code accounts}. */
    static Summary combine(Totals totals, List<AccountListing> accounts) {
        List<Summary.AccountRow> rows = accounts.stream().map(a -> new Summary.AccountRow(a.id(), a.awsAccountId(),
                a.name(), a.status(), a.lastScanAt(), totals.openByAccount().getOrDefault(a.id(), 0L),
                totals.savingsByAccount().getOrDefault(a.id(), BigDecimal.ZERO.setScale(2)))).toList();
        return new Summary(totals.keys(), totals.findings(), totals.monthlyCostUsd(),
                totals.potentialMonthlySavingsUsd(), rows);
    }

    /** Runs with the tenant in context. Repeatable read: the parts must add up to the totals. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Totals totals(UUID tenant) {
        List<StateRow> states = jdbc.sql("""
                SELECT coalesce(state, 'Unknown') AS state, count(*) AS keys,
                       count(*) FILTER (WHERE manager = 'CUSTOMER') AS customer_managed,
                       count(*) FILTER (WHERE monthly_cost_usd IS NULL) AS cost_unknown,
                       coalesce(sum(monthly_cost_usd), 0) AS cost
                  FROM kms_keys
                 WHERE tenant_id = :tenant AND removed_at IS NULL
                 GROUP BY 1
                """).param("tenant", tenant)
                .query((rs, i) -> new StateRow(rs.getString("state"), rs.getLong("keys"), rs.getLong("customer_managed"),
                        rs.getLong("cost_unknown"), rs.getBigDecimal("cost")))
                .list();
        // One pass over the open findings (index-only on findings_open_rollup). Savings: the monthly cost of the
        // keys with an OPEN KEY_UNUSED finding; a finding carries its key's cost, and a key has one such finding.
        List<OpenRow> open = jdbc.sql("""
                SELECT account_id, type, severity, count(*) AS findings, sum(monthly_cost_usd) AS cost
                  FROM findings
                 WHERE tenant_id = :tenant AND status = 'OPEN'
                 GROUP BY 1, 2, 3
                """).param("tenant", tenant)
                .query((rs, i) -> new OpenRow(rs.getObject("account_id", UUID.class),
                        FindingType.valueOf(rs.getString("type")),
                        Severity.valueOf(rs.getString("severity")), rs.getLong("findings"),
                        rs.getBigDecimal("cost")))
                .list();
        long suppressed = jdbc.sql("SELECT count(*) FROM findings WHERE tenant_id = :tenant AND status = 'SUPPRESSED'")
                .param("tenant", tenant).query(Long.class).single();

        Map<UUID, Long> openByAccount = new HashMap<>();
        Map<UUID, BigDecimal> savings = new HashMap<>();
        Map<FindingType, Long> byType = new EnumMap<>(FindingType.class);
        Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
        for (FindingType t : FindingType.values()) {
            byType.put(t, 0L);
        }
        for (Severity s : Severity.values()) {
            bySeverity.put(s, 0L);
        }
        long openTotal = 0;
        for (OpenRow row : open) {
            openTotal += row.count();
            openByAccount.merge(row.accountId(), row.count(), Long::sum);
            byType.merge(row.type(), row.count(), Long::sum);
            bySeverity.merge(row.severity(), row.count(), Long::sum);
            if (row.type() == FindingType.KEY_UNUSED) {
                savings.merge(row.accountId(), row.cost(), BigDecimal::add);
            }
        }

        Map<String, Long> byState = new TreeMap<>();
        long total = 0;
        long customerManaged = 0;
        long costUnknown = 0;
        BigDecimal cost = BigDecimal.ZERO.setScale(2);
        for (StateRow row : states) {
            byState.put(row.state(), row.keys());
            total += row.keys();
            customerManaged += row.customerManaged();
            costUnknown += row.costUnknown();
            cost = cost.add(row.cost());
        }
        BigDecimal totalSavings = savings.values().stream().reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        return new Totals(new Summary.Keys(total, customerManaged, costUnknown, byState),
                new Summary.Findings(openTotal, byType, bySeverity, suppressed), cost, totalSavings, openByAccount,
                savings);
    }

    /** Runs with the tenant in context: its accounts by name, with when a scan of one of their regions last ended. */
    @Transactional(readOnly = true)
    List<AccountListing> accounts(UUID tenant) {
        return jdbc.sql("""
                SELECT a.id, a.aws_account_id, a.name, a.status,
                       (SELECT max(t.finished_at) FROM scan_targets t WHERE t.account_id = a.id) AS last_scan_at
                  FROM accounts a
                 WHERE a.tenant_id = :tenant
                 ORDER BY a.name, a.id
                """).param("tenant", tenant)
                .query((rs, i) -> {
                    OffsetDateTime lastScan = rs.getObject("last_scan_at", OffsetDateTime.class);
                    return new AccountListing(rs.getObject("id", UUID.class), rs.getString("aws_account_id"),
                            rs.getString("name"), AccountStatus.valueOf(rs.getString("status")),
                            lastScan == null ? null : lastScan.toInstant());
                })
                .list();
    }
}
