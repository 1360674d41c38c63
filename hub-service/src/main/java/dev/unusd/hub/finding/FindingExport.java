package dev.unusd.hub.finding;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.core.Utils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.kms.Unverified;

/**
 * Every finding of a filter as CSV, written by Postgres itself ({@code COPY ... TO STDOUT}): a million findings
 * stream in one consistent snapshot, in constant memory, without the hub building an object per row. COPY takes
 * no bind parameters, so the filter's values are inlined as escaped literals; they are enum names, UUIDs and a
 * validated region name anyway.
 */
@Service
class FindingExport {

    private final DataSource dataSource;
    private final JdbcClient jdbc;

    FindingExport(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Writes the CSV of the filter to {@code out}; the tenant in context must be set (RLS filters on it). */
    @Transactional(readOnly = true)
    void copy(FindingQueries.Filter filter, FindingQueries.Sort sort, OutputStream out) throws IOException {
        UUID tenant = TenantContext.require();
        MarkedRegions marked = MarkedRegions.of(jdbc, tenant, filter);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql(tenant, filter, sort, marked), out);
        } catch (SQLException e) {
            throw new IOException("CSV export failed", e);
        }
    }

    static String sql(UUID tenant, FindingQueries.Filter filter, FindingQueries.Sort sort, MarkedRegions marked) {
        List<String> where = new ArrayList<>();
        where.add("f.tenant_id = " + literal(tenant.toString()) + "::uuid");
        // A whole export is sorted once anyway, so several values of a filter are one IN list here.
        anyOf(where, "f.status", filter.statuses().stream().map(s -> literal(s.name())).toList());
        anyOf(where, "f.type", filter.types().stream().map(t -> literal(t.name())).toList());
        anyOf(where, "f.severity_rank", filter.severities().stream().map(s -> String.valueOf(s.rank())).toList());
        if (filter.accountId() != null) {
            where.add("f.account_id = " + literal(filter.accountId().toString()) + "::uuid");
        }
        if (filter.awsAccountId() != null) {
            where.add("a.aws_account_id = " + literal(filter.awsAccountId()));
        }
        if (filter.ou() != null) {
            where.add("a.ou_path LIKE " + literal("%/" + filter.ou() + "/%"));
        }
        if (filter.region() != null) {
            where.add("f.region = " + literal(filter.region()));
        }
        if (filter.accountDeactivated() != null) {
            where.add("a.deactivated_reason IS " + (filter.accountDeactivated() ? "NOT NULL" : "NULL"));
        }
        String unverified = Unverified.reasonSql("f");
        if (filter.unverified() != null) {
            // The marked account-regions are few: their findings are found by index (or skipped before any join).
            String inMarked = marked.size() == 0 ? "false" : "(" + Stream.concat(
                    marked.accounts().stream().map(a -> "f.account_id = " + literal(a.toString()) + "::uuid"),
                    marked.regions().stream().map(r -> "(f.account_id = " + literal(r.account().toString())
                            + "::uuid AND f.region = " + literal(r.region()) + ")"))
                    .collect(Collectors.joining(" OR ")) + ")";
            where.add(filter.unverified() ? inMarked : "NOT " + inMarked);
            where.add(unverified + " IS " + (filter.unverified() ? "NOT NULL" : "NULL"));
        }
        return "COPY (SELECT f.id, f.type, f.severity, f.status, f.key_ref AS \"keyRef\", " + defused("k.key_id")
                + " AS \"keyId\", " + defused("k.arn") + " AS \"keyArn\", f.account_id AS \"accountId\", "
                + "a.aws_account_id AS \"awsAccountId\", " + defused("a.name") + " AS \"accountName\", f.region, "
                + defused("f.title") + " AS title, "
                + defused("f.detail") + " AS detail, f.monthly_cost_usd AS \"monthlyCostUsd\", "
                + iso("f.first_seen_at") + " AS \"firstSeenAt\", " + iso("f.last_seen_at") + " AS \"lastSeenAt\", "
                + iso("f.resolved_at") + " AS \"resolvedAt\", f.evidence::text AS evidence, "
                + defused("array_to_string(ARRAY(SELECT jsonb_array_elements_text(f.remediation)), E'\\n')")
                + " AS remediation, a.deactivated_reason AS \"accountDeactivatedReason\", "
                + iso("a.deactivated_at") + " AS \"accountDeactivatedAt\", " + unverified + " AS \"unverifiedReason\", "
                + "CASE WHEN " + unverified + " IS NOT NULL THEN " + iso("c.last_succeeded_at") + " END"
                + " AS \"lastVerifiedAt\""
                + " FROM findings f JOIN kms_keys k ON k.id = f.key_ref JOIN accounts a ON a.id = f.account_id "
                + Unverified.join("f")
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY " + sort.column + " DESC, f.id DESC) TO STDOUT WITH (FORMAT csv, HEADER true)";
    }

    private static void anyOf(List<String> where, String column, List<String> literals) {
        if (!literals.isEmpty()) {
            where.add(column + " IN (" + String.join(", ", literals) + ")");
        }
    }

    /** A text cell a spreadsheet would run as a formula gets a leading apostrophe: aliases come from customers. */
    private static String defused(String expression) {
        return "CASE WHEN left(" + expression + ", 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || "
                + expression + " ELSE " + expression + " END";
    }

    private static String iso(String column) {
        return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    }

    private static String literal(String value) {
        try {
            return "'" + Utils.escapeLiteral(null, value, true) + "'";
        } catch (SQLException e) {
            // Only for a NUL character, which no enum name, UUID, AWS account id or validated region holds.
            throw new IllegalArgumentException("not a literal: " + value, e);
        }
    }
}
