package dev.unusd.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;

/**
 * Tenant isolation at the JDBC level, below every repository: the runtime role sees no tenant row without a tenant
 * in the transaction, only its own rows with one, and cannot write rows of another tenant.
 */
class RowLevelSecurityIntegrationTest extends HubIntegrationTest {

    @Test
    void everyTenantTableIsEmptyWithoutTenantContext() throws SQLException {
        TenantHandle tenant = newTenant();
        tenant.api().post("/api/v1/accounts", Map.of("awsAccountId", "223456789012", "name", "rls"));

        List<String> tables = TestDatabase.get().tenantTables();
        assertThat(tables).contains("tenants", "api_keys", "tenant_settings", "accounts", "scans", "scan_targets",
                "kms_keys", "findings", "finding_events");
        try (Connection app = TestDatabase.get().app(); Statement s = app.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows of %s visible without tenant context", table).isZero();
                }
            }
        }
        // The rows are there: the admin (migration role) sees them.
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from accounts where tenant_id = '" + tenant.id() + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void aTransactionSeesOnlyItsTenantsRows() throws SQLException {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        a.api().post("/api/v1/accounts", Map.of("awsAccountId", "223456789013", "name", "a"));
        b.api().post("/api/v1/accounts", Map.of("awsAccountId", "223456789014", "name", "b"));

        try (Connection app = TestDatabase.get().app()) {
            app.setAutoCommit(false);
            bind(app, a.id());
            // A query that forgets its tenant filter still returns only the bound tenant's rows.
            assertThat(awsAccountIds(app)).containsExactly("223456789013");
            app.commit();
            // transaction-local: the next transaction starts without a tenant again
            assertThat(awsAccountIds(app)).isEmpty();
            app.commit();
        }
    }

    @Test
    void rowsOfAnotherTenantCannotBeWritten() throws SQLException {
        TenantHandle a = newTenant();
        TenantHandle b = newTenant();
        try (Connection app = TestDatabase.get().app()) {
            app.setAutoCommit(false);
            bind(app, a.id());
            try (PreparedStatement insert = app.prepareStatement("""
                    insert into accounts (id, tenant_id, aws_account_id, name, regions, role_name, external_id, status)
                    values (?, ?, '323456789012', 'x', '{us-east-1}', 'UnusdSpokeRole', ?, 'PENDING')""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, b.id());
                insert.setString(3, "unusd-" + "x".repeat(40));
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class)
                        .hasMessageContaining("row-level security");
            }
            app.rollback();
            bind(app, a.id());
            try (Statement s = app.createStatement()) {
                assertThat(s.executeUpdate("update tenants set name = 'hijacked' where id = '" + b.id() + "'")).isZero();
                assertThat(s.executeUpdate("delete from api_keys where tenant_id = '" + b.id() + "'")).isZero();
            }
            app.commit();
        }
        assertThat(b.api().get("/api/v1/settings").status()).isEqualTo(200);
    }

    @Test
    void theRuntimeRoleCannotBypassRowLevelSecurity() throws SQLException {
        try (Connection app = TestDatabase.get().app(); Statement s = app.createStatement();
                ResultSet rs = s.executeQuery("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")) {
            rs.next();
            assertThat(rs.getBoolean("rolsuper")).isFalse();
            assertThat(rs.getBoolean("rolbypassrls")).isFalse();
        }
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("""
                        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = 'public' and c.relkind = 'r' and c.relname = any(?::text[])
                          and not (c.relrowsecurity and c.relforcerowsecurity)""".replace("?::text[]",
                        "'{" + String.join(",", TestDatabase.get().tenantTables()) + "}'::text[]"))) {
            assertThat(rs.next()).as("every tenant table has forced row-level security").isFalse();
        }
    }


    private static void bind(Connection c, UUID tenant) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select set_config('hub.tenant_id', ?, true)")) {
            p.setString(1, tenant.toString());
            p.execute();
        }
    }

    private static List<String> awsAccountIds(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select aws_account_id from accounts")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
