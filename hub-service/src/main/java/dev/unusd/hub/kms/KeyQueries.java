package dev.unusd.hub.kms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.PageQuery;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;

/** Reads the key inventory for the dashboard: keyset pages by id over the keys still present in AWS. */
@Service
class KeyQueries {

    private static final String SELECT = """
            SELECT k.id, k.arn, k.key_id, k.account_id, a.aws_account_id, a.name AS account_name, k.region, k.aliases,
                   k.state, k.spec,
                   k.key_usage, k.origin, k.manager, k.multi_region, k.aws_created_at, k.deletion_date,
                   k.rotation_enabled, k.rotation_period_days, k.next_rotation_at, k.rotations,
                   k.last_used_at, k.last_used_operation, k.last_used_source, k.last_used_event_id,
                   k.usage_status, k.usage_checked_at, k.usage_searched::text AS usage_searched, k.unknown::text AS unknown,
                   CASE WHEN k.usage_status <> 'UNKNOWN' THEN NULL
                        WHEN k.manager = 'AWS' THEN 'AWS-managed key: its use is not checked'
                        ELSE coalesce(k.unknown ->> 'usage', 'DescribeKey: ' || (k.unknown ->> 'metadata'),
                                      'not checked yet') END AS usage_unknown_reason,
                   k.tags::text AS tags, k.exempt, k.monthly_cost_usd, k.first_seen_at, k.last_seen_at,
                   CASE WHEN k.access IS NOT NULL
                        THEN (k.access || jsonb_build_object('readAt', k.access_read_at))::text
                        WHEN k.manager = 'CUSTOMER' OR k.manager IS NULL
                        THEN '{"status":"UNKNOWN","unknown":{"keyPolicy":"not read yet","grants":"not read yet"},'
                             || '"public":"UNKNOWN","crossAccount":"UNKNOWN","outsideAccounts":[],"undecided":[],'
                             || '"principals":[],"notes":[],"readAt":null}' END AS access,
            """ + Unverified.columns("k") + """

              FROM kms_keys k
              JOIN accounts a ON a.id = k.account_id
            """ + Unverified.join("k") + "\n";

    private final JdbcClient jdbc;
    private final Cursors cursors;

    KeyQueries(JdbcClient jdbc, Cursors cursors) {
        this.jdbc = jdbc;
        this.cursors = cursors;
    }

    /**
     * Which keys a list shows. A set holds the values any of which a key may have; an empty set does not filter.
     * {@code q} is a case-insensitive substring of the ARN or of an alias.
     */
    record Filter(@Nullable UUID accountId, @Nullable String awsAccountId, @Nullable String region, Set<String> states,
            Set<KeyItem.UsageStatus> usageStatuses, @Nullable Boolean hasOpenFindings, @Nullable String arn,
            @Nullable String q, @Nullable String ou) {

        Filter {
            states = Collections.unmodifiableSet(new TreeSet<>(states));
            usageStatuses = Collections.unmodifiableSet(usageStatuses.isEmpty()
                    ? EnumSet.noneOf(KeyItem.UsageStatus.class) : EnumSet.copyOf(usageStatuses));
        }

        String canonical() {
            return "accountId=" + accountId + "&awsAccountId=" + awsAccountId + "&region=" + region + "&state="
                    + String.join(",", states) + "&usageStatus=" + usageStatuses.stream().map(Enum::name)
                    .collect(Collectors.joining(",")) + "&hasOpenFindings=" + hasOpenFindings + "&arn=" + arn
                    + "&q=" + q + "&ou=" + ou;
        }
    }

    /** A page by id; a filter given several values is merged from one branch per value (see {@link PageQuery}). */
    @Transactional(readOnly = true)
    Page<KeyItem> page(Filter filter, int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        String scope = "keys:" + tenant + ":" + filter.canonical();
        PageQuery query = new PageQuery().where("k.tenant_id = :tenant").where("k.removed_at IS NULL")
                .param("tenant", tenant);
        if (filter.accountId() != null) {
            query.where("k.account_id = :account").param("account", filter.accountId());
        }
        if (filter.awsAccountId() != null) {
            // At most one account of a tenant has a given AWS id (unique); its hub id then meets kms_keys_live_account.
            query.where("k.account_id = (SELECT byaws.id FROM accounts byaws WHERE byaws.tenant_id = :tenant"
                    + " AND byaws.aws_account_id = :awsAccount)").param("awsAccount", filter.awsAccountId());
        }
        if (filter.region() != null) {
            query.where("k.region = :region").param("region", filter.region());
        }
        if (filter.ou() != null) {
            // An OU or root id (validated: no LIKE wildcard in it), matched as one segment of the accounts' OU paths.
            query.where("k.account_id IN (SELECT byou.id FROM accounts byou WHERE byou.tenant_id = :tenant"
                    + " AND byou.organization_id IS NOT NULL AND byou.ou_path LIKE :ouPath)")
                    .param("ouPath", "%/" + filter.ou() + "/%");
        }
        query.anyOf("k.state = :state%d", "state", List.copyOf(filter.states()));
        query.anyOf("k.usage_status = :usage%d", "usage", filter.usageStatuses().stream().map(Enum::name).toList());
        if (filter.arn() != null) {
            query.where("k.arn = :arn").param("arn", filter.arn());
        }
        if (filter.q() != null) {
            // LIKE is not leakproof, so under row-level security it could not use the trigram index inline;
            // hub_keys_matching (V30) runs it for the current tenant only.
            query.where("k.id IN (SELECT hub_keys_matching(:pattern))")
                    .param("pattern", "%" + likeEscaped(filter.q().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.hasOpenFindings() != null) {
            query.where((filter.hasOpenFindings() ? "" : "NOT ")
                    + "EXISTS (SELECT 1 FROM findings f WHERE f.key_ref = k.id AND f.status = 'OPEN')");
        }
        if (cursor != null) {
            List<String> after = cursors.decode(scope, cursor, 1);
            query.where("k.id > :after").param("after", uuid(after.get(0)));
        }
        List<KeyItem> rows = jdbc.sql(query.sql(SELECT, "k.id", "id", limit + 1))
                .params(query.params())
                .query(KeyQueries::item)
                .list();
        return Page.of(rows, limit, k -> cursors.encode(scope, List.of(k.id().toString())));
    }

    /** A key of the tenant in context, removed from AWS or not. */
    @Transactional(readOnly = true)
    Optional<KeyItem> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE k.tenant_id = :tenant AND k.id = :id")
                .param("tenant", TenantContext.require())
                .param("id", id)
                .query(KeyQueries::item)
                .optional();
    }

    /**
     * The tenant's keys, removed from AWS or not, with this AWS key id: one, or one per region for a multi-Region
     * key. With {@code arn}, only the key of that ARN.
     */
    @Transactional(readOnly = true)
    List<KeyItem> findByAwsKeyId(String keyId, @Nullable String arn) {
        return jdbc.sql(SELECT + " WHERE k.tenant_id = :tenant AND k.key_id = :keyId"
                        + (arn == null ? "" : " AND k.arn = :arn") + " ORDER BY k.region, k.id LIMIT 50")
                .param("tenant", TenantContext.require())
                .param("keyId", keyId)
                .params(arn == null ? Map.of() : Map.of("arn", arn))
                .query(KeyQueries::item)
                .list();
    }

    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor issued for this list and filter");
        }
    }

    private static KeyItem item(ResultSet rs, int row) throws SQLException {
        Boolean rotationEnabled = (Boolean) rs.getObject("rotation_enabled");
        KeyItem.Rotation rotation = rotationEnabled == null ? null
                : new KeyItem.Rotation(rotationEnabled, (Integer) rs.getObject("rotation_period_days"),
                        instant(rs, "next_rotation_at"), (Integer) rs.getObject("rotations"));
        Instant lastUsedAt = instant(rs, "last_used_at");
        String source = rs.getString("last_used_source");
        Instant checkedAt = instant(rs, "usage_checked_at");
        KeyItem.LastUsed lastUsed = lastUsedAt == null || source == null ? null
                : new KeyItem.LastUsed(lastUsedAt, rs.getString("last_used_operation"), KeyItem.Source.valueOf(source),
                        rs.getString("last_used_event_id"), checkedAt != null
                                && UsageSpans.parse(rs.getString("usage_searched")).covers(lastUsedAt, checkedAt));
        return new KeyItem(
                rs.getObject("id", UUID.class),
                rs.getString("arn"),
                rs.getString("key_id"),
                rs.getObject("account_id", UUID.class),
                rs.getString("aws_account_id"),
                rs.getString("account_name"),
                Unverified.read(rs),
                rs.getString("region"),
                List.of((String[]) rs.getArray("aliases").getArray()),
                rs.getString("state"),
                rs.getString("spec"),
                rs.getString("key_usage"),
                rs.getString("origin"),
                rs.getString("manager"),
                (Boolean) rs.getObject("multi_region"),
                instant(rs, "aws_created_at"),
                instant(rs, "deletion_date"),
                rotation,
                lastUsed,
                KeyItem.UsageStatus.valueOf(rs.getString("usage_status")),
                rs.getString("usage_unknown_reason"),
                checkedAt,
                rs.getString("unknown"),
                rs.getString("tags"),
                rs.getBoolean("exempt"),
                rs.getBigDecimal("monthly_cost_usd"),
                rs.getString("access"),
                instant(rs, "first_seen_at"),
                instant(rs, "last_seen_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
