package dev.unusd.hub.finding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.Deactivation;
import dev.unusd.hub.db.PageQuery;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.kms.Unverified;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;

import tools.jackson.databind.util.RawValue;

/**
 * Reads findings for the dashboard: keyset pages in one of three orders, one finding, and the findings of one key. Every
 * list query is backed by an index of V30 or V191; none reads more rows than it returns, but for the marked rows that
 * unverified=false passes over (see {@link #skip}).
 */
@Service
public class FindingQueries {

    /** A finding with its key's id and ARN and its account's AWS id. */
    private static final String FROM = """
              FROM findings f
              JOIN kms_keys k ON k.id = f.key_ref
              JOIN accounts a ON a.id = f.account_id
            """ + Unverified.join("f") + "\n";

    /** Why the finding is unverified, NULL when it is not. */
    private static final String UNVERIFIED = Unverified.reasonSql("f");

    private static final String COLUMNS = """
                   f.id, f.type, f.severity, f.status, f.key_ref, k.key_id, k.arn, f.account_id, a.aws_account_id,
                   a.name AS account_name, a.deactivated_reason, a.deactivated_at, f.region, f.title, f.detail,
                   f.evidence::text AS evidence,
                   f.monthly_cost_usd,
                   ARRAY(SELECT jsonb_array_elements_text(f.remediation)) AS remediation,
                   f.first_seen_at, f.last_seen_at, f.resolved_at,
            """ + Unverified.columns("f") + "\n";

    private static final String SELECT = "SELECT " + COLUMNS + FROM;

    /** A page of typed findings, for the dashboard's pages (which render them, not the JSON). */
    private static final String SELECT_ITEMS = "SELECT %s AS sort_value, %s AS sort_key, f.id AS sort_id, "
            + COLUMNS + FROM;

    /**
     * List pages are rendered by Postgres: one JSON object per row, concatenated by the hub without parsing. Reading
     * typed columns and writing them again with Jackson cost the hub several times what the query costs. The object
     * has the fields of {@link FindingItem} in its order and format (instants through {@code hub_iso_instant},
     * strings escaped by {@code to_json}); a test holds it equal to the single finding Jackson renders.
     */
    private static final String SELECT_JSON = """
            SELECT %1$s AS sort_value, f.id::text AS id, %2$s AS sort_key, f.id AS sort_id,
                   '{"id":"' || f.id || '","type":"' || f.type || '","severity":"' || f.severity
                   || '","status":"' || f.status || '","keyRef":"' || f.key_ref
                   || '","keyId":' || to_json(k.key_id) || ',"keyArn":' || to_json(k.arn)
                   || ',"accountId":"' || f.account_id || '","awsAccountId":' || to_json(a.aws_account_id)
                   || ',"accountName":' || to_json(a.name) || ',"accountDeactivated":'
                   || coalesce('{"reason":"' || a.deactivated_reason || '","at":"'
                               || hub_iso_instant(a.deactivated_at) || '"}', 'null')
                   || ',"unverified":' || coalesce('{"reason":"' || %3$s || '","lastVerifiedAt":'
                               || coalesce('"' || hub_iso_instant(c.last_succeeded_at) || '"', 'null') || '}', 'null')
                   || ',"region":' || to_json(f.region)
                   || ',"title":' || to_json(f.title) || ',"detail":' || to_json(f.detail)
                   || ',"evidence":' || f.evidence
                   || ',"monthlyCostUsd":' || f.monthly_cost_usd || ',"remediation":{"cli":' || f.remediation
                   || '},"firstSeenAt":"' || hub_iso_instant(f.first_seen_at)
                   || '","lastSeenAt":"' || hub_iso_instant(f.last_seen_at)
                   || '","resolvedAt":' || coalesce('"' || hub_iso_instant(f.resolved_at) || '"', 'null')
                   || '}' AS json
            """ + FROM;

    /**
     * Beyond this many branches, unverified=true reads the page's index order instead, judging each row: on the
     * benchmark's data a statement of 16 branches takes 7-13 ms to plan and about as long to run, one of 64 25-43 ms
     * to plan and some 75 ms to run.
     */
    private static final int MAX_UNVERIFIED_BRANCHES = 16;

    private final JdbcClient jdbc;
    private final Cursors cursors;

    FindingQueries(JdbcClient jdbc, Cursors cursors) {
        this.jdbc = jdbc;
        this.cursors = cursors;
    }

    /**
     * Which findings a list or CSV shows. A set holds the values any of which a finding may have; an empty set does
     * not filter. {@code awsAccountId} names the tenant's account by its AWS id; {@code ou} an OU or root id, for
     * the accounts an organisation registered under it or its child OUs; {@code accountDeactivated} true takes only
     * the findings of accounts an organisation deactivated, false only the others, null both; {@code unverified} alike
     * for findings no recent scan vouches for ({@link Unverified}).
     */
    record Filter(Set<FindingItem.Status> statuses, Set<FindingType> types, Set<Severity> severities,
            @Nullable UUID accountId, @Nullable String awsAccountId, @Nullable String region, @Nullable String ou,
            @Nullable Boolean accountDeactivated, @Nullable Boolean unverified) {

        Filter(Set<FindingItem.Status> statuses, Set<FindingType> types, Set<Severity> severities,
                @Nullable UUID accountId, @Nullable String awsAccountId, @Nullable String region, @Nullable String ou) {
            this(statuses, types, severities, accountId, awsAccountId, region, ou, null, null);
        }

        Filter {
            statuses = Collections.unmodifiableSet(copy(statuses, FindingItem.Status.class));
            types = Collections.unmodifiableSet(copy(types, FindingType.class));
            severities = Collections.unmodifiableSet(copy(severities, Severity.class));
        }

        private static <E extends Enum<E>> EnumSet<E> copy(Collection<E> values, Class<E> type) {
            return values.isEmpty() ? EnumSet.noneOf(type) : EnumSet.copyOf(values);
        }

        /**
         * A canonical form for the cursor scope: a cursor is only valid for the very filter it was issued for.
         * bench/api-bench.sh signs a deep cursor with this scope written out: change both together.
         */
        String canonical() {
            return "status=" + names(statuses) + "&type=" + names(types) + "&severity=" + names(severities)
                    + "&accountId=" + accountId + "&awsAccountId=" + awsAccountId + "&region=" + region + "&ou=" + ou
                    + "&accountDeactivated=" + accountDeactivated + "&unverified=" + unverified;
        }

        private static String names(Set<? extends Enum<?>> values) {
            return values.stream().map(Enum::name).collect(Collectors.joining(","));
        }
    }

    /** The orders the API offers; each is descending on its value, then on id, so a page boundary is a keyset. */
    enum Sort {
        SEVERITY("-severity", "f.severity_rank", "f.severity_rank::text", "CAST(:afterValue AS smallint)"),
        FIRST_SEEN("-firstSeenAt", "f.first_seen_at", "hub_iso_instant(f.first_seen_at)",
                "CAST(:afterValue AS timestamptz)"),
        MONTHLY_COST("-monthlyCostUsd", "f.monthly_cost_cents", "f.monthly_cost_cents::text",
                "CAST(:afterValue AS int)");

        static final List<String> NAMES = Arrays.stream(values()).map(s -> s.name).toList();

        final String name;
        final String column;
        /** The sort value of a row as the cursor carries it, as SQL text. */
        final String cursorValue;
        final String boundParameter;

        Sort(String name, String column, String cursorValue, String boundParameter) {
            this.name = name;
            this.column = column;
            this.cursorValue = cursorValue;
            this.boundParameter = boundParameter;
        }

        static Sort parse(String value) {
            return Arrays.stream(values()).filter(s -> s.name.equals(value)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("sort", "must be one of " + NAMES));
        }

        /** The cursor's sort value, typed for the JDBC parameter. */
        Object bind(String value) {
            try {
                return switch (this) {
                    case SEVERITY, MONTHLY_COST -> Integer.parseInt(value);
                    case FIRST_SEEN -> OffsetDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC);
                };
            } catch (RuntimeException e) {
                throw ApiException.badRequest("cursor", "is not a cursor issued for this list and filter");
            }
        }
    }

    /**
     * A page of findings, each item already JSON (see {@link #SELECT_JSON}); a filter given several values is merged
     * from one branch per value (see {@link PageQuery}).
     */
    @Transactional(readOnly = true)
    Page<RawValue> page(Filter filter, Sort sort, int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        String scope = scope(tenant, filter, sort);
        PageQuery query = after(query(tenant, filter, MarkedRegions.of(jdbc, tenant, filter)), sort, scope, cursor);
        String sql = query.sql(SELECT_JSON.formatted(sort.cursorValue, sort.column, UNVERIFIED),
                sort.column + " DESC, f.id DESC", "sort_key DESC, sort_id DESC", limit + 1);
        List<JsonRow> rows = jdbc.sql(sql).params(query.params())
                .query((rs, i) -> new JsonRow(rs.getString("sort_value"), rs.getString("id"), rs.getString("json")))
                .list();
        Page<JsonRow> page = Page.of(rows, limit, r -> cursors.encode(scope, List.of(r.sortValue(), r.id())));
        return new Page<>(page.items().stream().map(r -> new RawValue(r.json())).toList(), page.nextCursor());
    }

    private record JsonRow(String sortValue, String id, String json) {
    }

    /** The same page as {@link #page} (same filter, order and cursors), as typed findings. */
    @Transactional(readOnly = true)
    public Page<FindingItem> items(Filter filter, Sort sort, int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        String scope = scope(tenant, filter, sort);
        PageQuery query = after(query(tenant, filter, MarkedRegions.of(jdbc, tenant, filter)), sort, scope, cursor);
        String sql = query.sql(SELECT_ITEMS.formatted(sort.cursorValue, sort.column), sort.column + " DESC, f.id DESC",
                "sort_key DESC, sort_id DESC", limit + 1);
        record ItemRow(String sortValue, FindingItem item) {
        }
        List<ItemRow> rows = jdbc.sql(sql).params(query.params())
                .query((rs, i) -> new ItemRow(rs.getString("sort_value"), item(rs, i)))
                .list();
        Page<ItemRow> page = Page.of(rows, limit,
                r -> cursors.encode(scope, List.of(r.sortValue(), r.item().id().toString())));
        return new Page<>(page.items().stream().map(ItemRow::item).toList(), page.nextCursor());
    }

    /** Every finding of a key of the tenant in context, whatever its status: worst first. */
    @Transactional(readOnly = true)
    public List<FindingItem> forKey(UUID keyRef) {
        return jdbc.sql(SELECT + " WHERE f.tenant_id = :tenant AND f.key_ref = :key ORDER BY f.severity_rank DESC, f.type")
                .param("tenant", TenantContext.require())
                .param("key", keyRef)
                .query(FindingQueries::item)
                .list();
    }

    @Transactional(readOnly = true)
    Optional<FindingItem> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE f.tenant_id = :tenant AND f.id = :id")
                .param("tenant", TenantContext.require())
                .param("id", id)
                .query(FindingQueries::item)
                .optional();
    }

    /** The rows after the cursor's (sort value, id), a keyset on the sort's index. */
    private PageQuery after(PageQuery query, Sort sort, String scope, @Nullable String cursor) {
        if (cursor != null) {
            List<String> after = cursors.decode(scope, cursor, 2);
            query.where("(" + sort.column + ", f.id) < (" + sort.boundParameter + ", CAST(:afterId AS uuid))")
                    .param("afterValue", sort.bind(after.get(0)))
                    .param("afterId", parseId(after.get(1)));
        }
        return query;
    }

    private static PageQuery query(UUID tenant, Filter filter, MarkedRegions marked) {
        PageQuery query = new PageQuery().where("f.tenant_id = :tenant").param("tenant", tenant);
        query.anyOf("f.status = :status%d", "status", filter.statuses().stream().map(Enum::name).toList());
        query.anyOf("f.type = :type%d", "type", filter.types().stream().map(Enum::name).toList());
        // The rank rather than the name: it is the column the default sort's index holds.
        query.anyOf("f.severity_rank = CAST(:rank%d AS smallint)", "rank",
                filter.severities().stream().map(Severity::rank).toList());
        if (filter.accountId() != null) {
            query.where("f.account_id = :account").param("account", filter.accountId());
        }
        if (filter.awsAccountId() != null) {
            // At most one account of a tenant has a given AWS id (unique); its hub id then meets findings_by_account.
            query.where("f.account_id = (SELECT byaws.id FROM accounts byaws WHERE byaws.tenant_id = :tenant"
                    + " AND byaws.aws_account_id = :awsAccount)").param("awsAccount", filter.awsAccountId());
        }
        if (filter.region() != null) {
            query.where("f.region = :region").param("region", filter.region());
        }
        if (filter.ou() != null) {
            // The OU's accounts are few next to their findings: found first (accounts_organization), then matched.
            query.where("f.account_id IN (SELECT byou.id FROM accounts byou WHERE byou.tenant_id = :tenant"
                    + " AND byou.organization_id IS NOT NULL AND byou.ou_path LIKE :ouPath)")
                    .param("ouPath", "%/" + filter.ou() + "/%");
        }
        if (filter.accountDeactivated() != null) {
            // Deactivated accounts are few: found first, then matched (or excluded) like the OU's accounts.
            query.where("f.account_id " + (filter.accountDeactivated() ? "IN" : "NOT IN")
                    + " (SELECT byoff.id FROM accounts byoff WHERE byoff.tenant_id = :tenant"
                    + " AND byoff.deactivated_reason IS NOT NULL)");
        }
        if (filter.unverified() != null) {
            // The row's own mark decides; the marked account-regions only steer which index rows are read.
            query.where(UNVERIFIED + (filter.unverified() ? " IS NOT NULL" : " IS NULL"));
            if (!filter.unverified()) {
                skip(query, marked);
            } else if (query.branches() * marked.size() <= MAX_UNVERIFIED_BRANCHES) {
                query.either(branches(query, marked));
            }
            // Else more marked account-regions than branches are worth planning: rows in the page's order, each judged.
        }
        return query;
    }

    /**
     * unverified=true: one branch per marked account (findings_by_account) or account-region
     * (findings_by_account_region), each in the page's order, so a page reads about as many rows as it returns.
     */
    private static List<String> branches(PageQuery query, MarkedRegions marked) {
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < marked.accounts().size(); i++) {
            branches.add("f.account_id = :unverifiedAccount" + i);
            query.param("unverifiedAccount" + i, marked.accounts().get(i));
        }
        for (int i = 0; i < marked.regions().size(); i++) {
            branches.add("(f.account_id = :unverifiedRegionAccount" + i + " AND f.region = :unverifiedRegion" + i + ")");
            query.param("unverifiedRegionAccount" + i, marked.regions().get(i).account())
                    .param("unverifiedRegion" + i, marked.regions().get(i).region());
        }
        return branches;
    }

    /**
     * unverified=false: the page's index order, skipping the marked accounts and account-regions on the index rows
     * themselves, so a page reads its rows and the marked ones it passes, and joins only the former.
     */
    private static void skip(PageQuery query, MarkedRegions marked) {
        if (!marked.accounts().isEmpty()) {
            query.where("NOT f.account_id = ANY (CAST(:unverifiedAccounts AS uuid[]))")
                    .param("unverifiedAccounts", uuidArray(marked.accounts()));
        }
        int i = 0;
        for (Map.Entry<String, List<UUID>> region : marked.accountsByRegion().entrySet()) {
            query.where("NOT (f.region = :unverifiedRegion" + i + " AND f.account_id = ANY (CAST(:unverifiedRegionAccounts"
                    + i + " AS uuid[])))")
                    .param("unverifiedRegion" + i, region.getKey())
                    .param("unverifiedRegionAccounts" + i, uuidArray(region.getValue()));
            i++;
        }
    }

    private static String uuidArray(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }

    private static String scope(UUID tenant, Filter filter, Sort sort) {
        return "findings:" + tenant + ":" + filter.canonical() + "&sort=" + sort.name;
    }

    private static UUID parseId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor issued for this list and filter");
        }
    }

    static FindingItem item(ResultSet rs, int row) throws SQLException {
        String[] remediation = (String[]) rs.getArray("remediation").getArray();
        return new FindingItem(
                rs.getObject("id", UUID.class),
                FindingType.valueOf(rs.getString("type")),
                Severity.valueOf(rs.getString("severity")),
                FindingItem.Status.valueOf(rs.getString("status")),
                rs.getObject("key_ref", UUID.class),
                rs.getString("key_id"),
                rs.getString("arn"),
                rs.getObject("account_id", UUID.class),
                rs.getString("aws_account_id"),
                rs.getString("account_name"),
                rs.getString("deactivated_reason") == null ? null : new FindingItem.AccountDeactivation(
                        Deactivation.valueOf(rs.getString("deactivated_reason")), instant(rs, "deactivated_at")),
                Unverified.read(rs),
                rs.getString("region"),
                rs.getString("title"),
                rs.getString("detail"),
                rs.getString("evidence"),
                rs.getBigDecimal("monthly_cost_usd"),
                new FindingItem.Remediation(List.of(remediation)),
                instant(rs, "first_seen_at"),
                instant(rs, "last_seen_at"),
                nullableInstant(rs, "resolved_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
