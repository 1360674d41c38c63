package dev.unusd.hub.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.AccountStatus;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;

/**
 * Computes a tenant's summary in two parts: the figures of each account (keys, cost, open findings, savings), read by
 * aggregates over every key and open finding, which change only with the tenant's findings version; and the listing,
 * a cheap read of its accounts, their last scans and the OUs their organisations' syncs read. A summary, filtered by
 * OU or not, and its OU breakdown are sums of account figures: no query of their own.
 */
@Service
class SummaryQueries {

    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    private final JdbcClient jdbc;

    SummaryQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One account's keys and findings; summed into totals, OU rows and account rows. */
    static final class Figures {
        final Map<String, Long> keysByState = new TreeMap<>();
        long keys;
        long customerManaged;
        long costUnknown;
        BigDecimal cost = ZERO;
        final Map<FindingType, Long> openByType = new EnumMap<>(FindingType.class);
        final Map<Severity, Long> openBySeverity = new EnumMap<>(Severity.class);
        long open;
        long unverified;
        long suppressed;
        BigDecimal savings = ZERO;

        Figures() {
            for (FindingType t : FindingType.values()) {
                openByType.put(t, 0L);
            }
            for (Severity s : Severity.values()) {
                openBySeverity.put(s, 0L);
            }
        }

        void add(Figures other) {
            other.keysByState.forEach((state, n) -> keysByState.merge(state, n, Long::sum));
            keys += other.keys;
            customerManaged += other.customerManaged;
            costUnknown += other.costUnknown;
            cost = cost.add(other.cost);
            other.openByType.forEach((t, n) -> openByType.merge(t, n, Long::sum));
            other.openBySeverity.forEach((sv, n) -> openBySeverity.merge(sv, n, Long::sum));
            open += other.open;
            unverified += other.unverified;
            suppressed += other.suppressed;
            savings = savings.add(other.savings);
        }
    }

    /**
     * The figures of each account of the tenant that has keys or findings, read in one snapshot, and the tenant's
     * findings version in that snapshot: the figures are those of that version.
     */
    record Totals(long version, Map<UUID, Figures> byAccount) {
    }

    /** An account as the summary lists it, before its figures are added. */
    record AccountListing(UUID id, String awsAccountId, String name, AccountStatus status, @Nullable Instant lastScanAt,
            @Nullable UUID organizationId, @Nullable String ouPath) {
    }

    /** An OU or root a sync read: its name and organisation. */
    record UnitName(UUID organizationId, String name) {
    }

    /** The tenant's accounts and the names of the OUs of its organisations, by OU or root id. */
    record Listing(List<AccountListing> accounts, Map<String, UnitName> units) {
    }

    /**
     * The summary of the accounts under {@code ou} (an OU or root id, child OUs included) or, when null, of the whole
     * tenant. Its OU rows are the OUs (and roots) that hold one of those accounts at or below {@code ou}, each with
     * the sum of every account under it, child OUs included; an account in no organisation is in no OU row.
     */
    static Summary combine(Totals totals, Listing listing, @Nullable String ou) {
        List<AccountListing> accounts = ou == null ? listing.accounts()
                : listing.accounts().stream().filter(a -> under(a, ou)).toList();
        Figures sum = new Figures();
        if (ou == null) {
            totals.byAccount().values().forEach(sum::add); // an account removed since the listing still counts
        } else {
            accounts.forEach(a -> add(sum, totals, a.id()));
        }
        Map<String, Figures> byUnit = new HashMap<>();
        Map<String, Long> accountsByUnit = new HashMap<>();
        Map<String, String> pathOf = new HashMap<>();
        for (AccountListing account : accounts) {
            if (account.organizationId() == null || account.ouPath() == null) {
                continue;
            }
            String[] segments = account.ouPath().split("/");
            StringBuilder path = new StringBuilder(segments[0]).append('/');
            boolean counted = ou == null;
            for (int i = 1; i < segments.length; i++) {
                path.append(segments[i]).append('/');
                counted |= segments[i].equals(ou);
                if (counted) {
                    pathOf.putIfAbsent(segments[i], path.toString());
                    accountsByUnit.merge(segments[i], 1L, Long::sum);
                    add(byUnit.computeIfAbsent(segments[i], id -> new Figures()), totals, account.id());
                }
            }
        }
        List<Summary.UnitRow> units = byUnit.entrySet().stream()
                .map(e -> unitRow(e.getKey(), pathOf.get(e.getKey()), e.getValue(), listing.units(),
                        accountsByUnit.get(e.getKey())))
                .sorted(Comparator.comparing(Summary.UnitRow::path))
                .toList();
        List<Summary.AccountRow> rows = accounts.stream().map(a -> {
            Figures f = totals.byAccount().get(a.id());
            return new Summary.AccountRow(a.id(), a.awsAccountId(), a.name(), a.status(), a.lastScanAt(),
                    f == null ? 0 : f.open, f == null ? ZERO : f.savings);
        }).toList();
        return new Summary(new Summary.Keys(sum.keys, sum.customerManaged, sum.costUnknown, sum.keysByState),
                new Summary.Findings(sum.open, sum.openByType, sum.openBySeverity, sum.suppressed, sum.unverified),
                sum.cost,
                sum.savings, rows, units);
    }

    private static boolean under(AccountListing account, String ou) {
        return account.organizationId() != null && account.ouPath() != null
                && account.ouPath().contains("/" + ou + "/");
    }

    private static void add(Figures sum, Totals totals, UUID account) {
        Figures figures = totals.byAccount().get(account);
        if (figures != null) {
            sum.add(figures);
        }
    }

    private static Summary.UnitRow unitRow(String id, String path, Figures f, Map<String, UnitName> names,
            long accounts) {
        UnitName unit = names.get(id);
        // The path by names, root first; an OU no sync has read since V100 shows its id.
        String[] segments = path.split("/");
        StringBuilder namePath = new StringBuilder();
        for (int i = 1; i < segments.length; i++) {
            UnitName named = names.get(segments[i]);
            namePath.append(i > 1 ? "/" : "").append(named == null ? segments[i] : named.name());
        }
        return new Summary.UnitRow(id, unit == null ? null : unit.name(), path, namePath.toString(),
                unit == null ? null : unit.organizationId(), accounts, f.keys, f.cost, f.costUnknown, f.savings, f.open,
                f.openBySeverity);
    }

    /** Runs with the tenant in context. Repeatable read: the parts must add up to the totals. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Totals totals(UUID tenant) {
        long version = version(tenant);
        Map<UUID, Figures> byAccount = new HashMap<>();
        read(tenant, null, byAccount);
        return new Totals(version, Map.copyOf(byAccount));
    }

    /**
     * The totals of the tenant's current findings version, from {@code previous}: only the accounts that changed
     * since its version are read again (account_findings_versions; every change records its account under the
     * version it raised, in the same transaction). The same figures as {@link #totals} at a fraction of the reads
     * when a scan or a suppression changed a few accounts; SummaryTotalsIntegrationTest compares the two.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    Totals refresh(UUID tenant, Totals previous) {
        long version = version(tenant);
        if (version == previous.version()) {
            return previous;
        }
        List<UUID> changed = jdbc.sql("""
                SELECT account_id FROM account_findings_versions WHERE tenant_id = :tenant AND version > :since
                """).param("tenant", tenant).param("since", previous.version())
                .query(UUID.class).list();
        Map<UUID, Figures> byAccount = new HashMap<>(previous.byAccount());
        if (!changed.isEmpty()) {
            changed.forEach(byAccount::remove); // an account with no keys and no findings left has no figures
            read(tenant, changed, byAccount);
        }
        return new Totals(version, Map.copyOf(byAccount));
    }

    private long version(UUID tenant) {
        return jdbc.sql("SELECT findings_version FROM tenants WHERE id = :tenant").param("tenant", tenant)
                .query(Long.class).single();
    }

    /** Adds the figures of the given accounts (every account when null) to {@code byAccount}. */
    private void read(UUID tenant, @Nullable List<UUID> accounts, Map<UUID, Figures> byAccount) {
        String only = accounts == null ? "" : " AND account_id = ANY (CAST(:accounts AS uuid[]))";
        String array = accounts == null ? null
                : accounts.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        jdbc.sql("""
                SELECT account_id, coalesce(state, 'Unknown') AS state, count(*) AS keys,
                       count(*) FILTER (WHERE manager = 'CUSTOMER') AS customer_managed,
                       count(*) FILTER (WHERE monthly_cost_usd IS NULL) AS cost_unknown,
                       coalesce(sum(monthly_cost_usd), 0) AS cost
                  FROM kms_keys
                 WHERE tenant_id = :tenant AND removed_at IS NULL%s
                 GROUP BY 1, 2
                """.formatted(only)).param("tenant", tenant).param("accounts", array)
                .query((RowCallbackHandler) rs -> {
                    Figures f = byAccount.computeIfAbsent(rs.getObject("account_id", UUID.class), a -> new Figures());
                    long keys = rs.getLong("keys");
                    f.keysByState.merge(rs.getString("state"), keys, Long::sum);
                    f.keys += keys;
                    f.customerManaged += rs.getLong("customer_managed");
                    f.costUnknown += rs.getLong("cost_unknown");
                    f.cost = f.cost.add(rs.getBigDecimal("cost"));
                });
        // One pass over the open findings (index-only on findings_open_rollup). Savings: the monthly cost of the
        // keys with an OPEN KEY_UNUSED finding; a finding carries its key's cost, and a key has one such finding.
        jdbc.sql("""
                SELECT account_id, type, severity, count(*) AS findings, sum(monthly_cost_usd) AS cost
                  FROM findings
                 WHERE tenant_id = :tenant AND status = 'OPEN'%s
                 GROUP BY 1, 2, 3
                """.formatted(only)).param("tenant", tenant).param("accounts", array)
                .query((RowCallbackHandler) rs -> {
                    Figures f = byAccount.computeIfAbsent(rs.getObject("account_id", UUID.class), a -> new Figures());
                    FindingType type = FindingType.valueOf(rs.getString("type"));
                    long count = rs.getLong("findings");
                    f.open += count;
                    f.openByType.merge(type, count, Long::sum);
                    f.openBySeverity.merge(Severity.valueOf(rs.getString("severity")), count, Long::sum);
                    if (type == FindingType.KEY_UNUSED) {
                        f.savings = f.savings.add(rs.getBigDecimal("cost"));
                    }
                });
        // The open findings no recent scan vouches for: counted in the few marked accounts and account-regions only,
        // index-only (findings_by_account, findings_by_account_region).
        jdbc.sql("""
                SELECT m.account_id,
                       CASE WHEN m.region IS NULL
                            THEN (SELECT count(*) FROM findings f WHERE f.tenant_id = :tenant
                                     AND f.account_id = m.account_id AND f.status = 'OPEN')
                            ELSE (SELECT count(*) FROM findings f WHERE f.account_id = m.account_id
                                     AND f.region = m.region AND f.status = 'OPEN')
                       END AS findings
                  FROM hub_unverified_regions(:tenant) m
                 WHERE %s
                """.formatted(accounts == null ? "true" : "m.account_id = ANY (CAST(:accounts AS uuid[]))"))
                .param("tenant", tenant).param("accounts", array)
                .query((RowCallbackHandler) rs -> {
                    long findings = rs.getLong("findings");
                    if (findings > 0) {
                        byAccount.computeIfAbsent(rs.getObject("account_id", UUID.class), a -> new Figures())
                                .unverified += findings;
                    }
                });
        jdbc.sql("""
                SELECT account_id, count(*) AS findings FROM findings
                 WHERE tenant_id = :tenant AND status = 'SUPPRESSED'%s
                 GROUP BY 1
                """.formatted(only)).param("tenant", tenant).param("accounts", array)
                .query((RowCallbackHandler) rs -> byAccount.computeIfAbsent(rs.getObject("account_id", UUID.class),
                        a -> new Figures()).suppressed += rs.getLong("findings"));
    }

    /**
     * Runs with the tenant in context: its accounts by name, with when a scan of one of their regions last ended and
     * where they sit in their organisation, and the names of its organisations' OUs.
     */
    @Transactional(readOnly = true)
    Listing listing(UUID tenant) {
        List<AccountListing> accounts = jdbc.sql("""
                SELECT a.id, a.aws_account_id, a.name, a.status, a.organization_id, a.ou_path,
                       (SELECT max(t.finished_at) FROM scan_targets t WHERE t.account_id = a.id) AS last_scan_at
                  FROM accounts a
                 WHERE a.tenant_id = :tenant
                 ORDER BY a.name, a.id
                """).param("tenant", tenant)
                .query((rs, i) -> {
                    OffsetDateTime lastScan = rs.getObject("last_scan_at", OffsetDateTime.class);
                    return new AccountListing(rs.getObject("id", UUID.class), rs.getString("aws_account_id"),
                            rs.getString("name"), AccountStatus.valueOf(rs.getString("status")),
                            lastScan == null ? null : lastScan.toInstant(),
                            rs.getObject("organization_id", UUID.class), rs.getString("ou_path"));
                })
                .list();
        // An organisation removed and registered again reads the same OUs: the latest read names them.
        Map<String, UnitName> units = new HashMap<>();
        jdbc.sql("""
                SELECT id, organization_id, name FROM organization_units
                 WHERE tenant_id = :tenant
                 ORDER BY last_seen_at
                """).param("tenant", tenant)
                .query((RowCallbackHandler) rs -> units.put(rs.getString("id"),
                        new UnitName(rs.getObject("organization_id", UUID.class), rs.getString("name"))));
        return new Listing(accounts, Map.copyOf(units));
    }
}
