package dev.unusd.hub.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the inventory tables directly, as the scan engine would, through the admin connection (which bypasses
 * row-level security), so read-side tests do not depend on scans. Values: the jsonb columns take a Map or List,
 * other Lists become text[], Instants timestamptz.
 */
public final class Seed implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> SEVERITY = Map.of("KEY_UNUSED", "MEDIUM", "ROTATION_DISABLED", "MEDIUM",
            "ROTATION_PERIOD_TOO_LONG", "LOW", "PENDING_DELETION_IN_USE", "HIGH");
    private static final java.util.Set<String> JSONB = java.util.Set.of("evidence", "remediation", "tags", "unknown");
    private static final Map<String, Integer> RANK = Map.of("LOW", 1, "MEDIUM", 2, "HIGH", 3);

    private final Connection c;
    private final UUID tenant;

    public Seed(UUID tenant) {
        this.tenant = tenant;
        try {
            this.c = TestDatabase.get().admin();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public UUID account(String awsAccountId, String name) {
        UUID id = UUID.randomUUID();
        insert("accounts", Map.of("id", id, "tenant_id", tenant, "aws_account_id", awsAccountId, "name", name,
                "regions", List.of("us-east-1", "eu-west-1"), "role_name", "UnusdSpokeRole",
                "external_id", UUID.randomUUID().toString().replace("-", "") + "x", "status", "CONNECTED"));
        return id;
    }

    /** A live customer-managed key; {@code columns} override or add kms_keys columns. */
    public UUID key(UUID account, String region, String keyId, Map<String, Object> columns) {
        String awsAccount = queryString("select aws_account_id from accounts where id = ?", account);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant_id", tenant);
        row.put("account_id", account);
        row.put("region", region);
        row.put("key_id", keyId);
        row.put("arn", "arn:aws:kms:" + region + ":" + awsAccount + ":key/" + keyId);
        row.put("state", "Enabled");
        row.put("spec", "SYMMETRIC_DEFAULT");
        row.put("key_usage", "ENCRYPT_DECRYPT");
        row.put("origin", "AWS_KMS");
        row.put("manager", "CUSTOMER");
        row.put("multi_region", false);
        row.put("usage_status", "USED");
        row.put("monthly_cost_usd", new java.math.BigDecimal("1.00"));
        row.putAll(columns);
        return insert("kms_keys", row);
    }

    /** A finding of a key; severity follows the type unless {@code columns} say otherwise. */
    public UUID finding(UUID key, String type, String status, Map<String, Object> columns) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant_id", tenant);
        row.put("key_ref", key);
        row.put("account_id", UUID.fromString(queryString("select account_id::text from kms_keys where id = ?", key)));
        row.put("region", queryString("select region from kms_keys where id = ?", key));
        row.put("type", type);
        row.put("status", status);
        row.put("title", type + " title");
        row.put("detail", type + " detail");
        row.put("monthly_cost_usd", new java.math.BigDecimal(queryString("select monthly_cost_usd::text from kms_keys where id = ?", key)));
        row.putAll(columns);
        String severity = (String) row.computeIfAbsent("severity", k -> SEVERITY.get(type));
        row.put("severity_rank", RANK.get(severity));
        if (status.equals("RESOLVED")) {
            row.putIfAbsent("resolved_at", Instant.now());
        }
        UUID id = insert("findings", row);
        findingsChanged();
        return id;
    }

    public void scanTarget(UUID account, String region, String status, Instant finishedAt) {
        UUID scan = UUID.randomUUID();
        insert("scans", Map.of("id", scan, "tenant_id", tenant, "trigger", "MANUAL", "status", "SUCCEEDED"));
        Map<String, Object> target = new LinkedHashMap<>(Map.of("scan_id", scan, "tenant_id", tenant, "account_id", account,
                "region", region, "status", status, "finished_at", finishedAt));
        insert("scan_targets", target);
    }

    public int execute(String sql, Object... params) {
        int rows = update(sql, params);
        findingsChanged();
        return rows;
    }

    /** A write that leaves the findings version as it is, as a change behind the hub's back would. */
    public int executeUnversioned(String sql, Object... params) {
        return update(sql, params);
    }

    /**
     * What the hub does after each change to findings (FindingPages): cached pages of the tenant are out of date, and
     * so are the summary's figures of the accounts it records; a seeded change may touch any, so all are recorded.
     */
    private void findingsChanged() {
        update("""
                with raised as (
                    update tenants set findings_version = findings_version + 1 where id = ? returning findings_version
                )
                insert into account_findings_versions (tenant_id, account_id, version)
                select a.tenant_id, a.id, r.findings_version from accounts a, raised r where a.tenant_id = ?
                on conflict (tenant_id, account_id) do update set version = excluded.version""", tenant, tenant);
    }

    private int update(String sql, Object... params) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, jdbc(params[i]));
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts a row and returns its id (when the table has one). */
    public UUID insert(String table, Map<String, Object> columns) {
        List<String> names = new ArrayList<>(columns.keySet());
        List<String> placeholders = new ArrayList<>();
        for (String name : names) {
            Object v = columns.get(name);
            placeholders.add(JSONB.contains(name) ? "?::jsonb" : v instanceof List<?> ? "?::text[]" : "?");
        }
        String returning = table.equals("scan_targets") ? "scan_id" : "id";
        String sql = "insert into " + table + " (" + String.join(", ", names) + ") values ("
                + String.join(", ", placeholders) + ") returning " + returning;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < names.size(); i++) {
                Object v = columns.get(names.get(i));
                if (JSONB.contains(names.get(i))) {
                    s.setString(i + 1, JSON.writeValueAsString(v));
                } else if (v instanceof List<?> list) {
                    s.setArray(i + 1, c.createArrayOf("text", list.toArray()));
                } else {
                    s.setObject(i + 1, jdbc(v));
                }
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String queryString(String sql, Object param) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, jdbc(param));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object jdbc(Object v) {
        if (v instanceof Instant i) {
            return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof Map<?, ?> m) {
            return JSON.writeValueAsString(m);
        }
        return v;
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
