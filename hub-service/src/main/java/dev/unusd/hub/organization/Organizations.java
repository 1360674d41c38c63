package dev.unusd.hub.organization;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant's registered organisations. Tenant filters are explicit and enforced again by row-level security. */
@Repository
class Organizations {

    private final JdbcClient jdbc;

    Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(OrganizationRecord o) {
        jdbc.sql("""
                insert into organizations (id, tenant_id, management_account_id, name, organizational_units,
                    exclude_accounts, regions, external_id, reader_role_name, spoke_role_name, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(o.id(), o.tenantId(), o.managementAccountId(), o.name(),
                        o.organizationalUnits().toArray(String[]::new), o.excludeAccounts().toArray(String[]::new),
                        o.regions() == null ? null : o.regions().toArray(String[]::new), o.externalId(),
                        o.readerRoleName(), o.spokeRoleName(), Timestamp.from(o.createdAt()))
                .update();
    }

    boolean existsForManagementAccount(UUID tenantId, String managementAccountId) {
        return jdbc.sql("select count(*) from organizations where tenant_id = ? and management_account_id = ?")
                .params(tenantId, managementAccountId).query(Long.class).single() > 0;
    }

    Optional<OrganizationRecord> find(UUID tenantId, UUID id) {
        return jdbc.sql("select * from organizations where tenant_id = ? and id = ?").params(tenantId, id)
                .query(Organizations::row).optional();
    }

    List<String> awsOrganizationIds(UUID tenantId) {
        return jdbc.sql("""
                select distinct aws_organization_id from organizations
                where tenant_id = ? and aws_organization_id is not null""")
                .param(tenantId).query(String.class).list();
    }

    List<OrganizationRecord> all(UUID tenantId) {
        return jdbc.sql("select * from organizations where tenant_id = ? order by created_at, id").param(tenantId)
                .query(Organizations::row).list();
    }

    List<OrganizationRecord> page(UUID tenantId, @Nullable Instant afterCreated, @Nullable UUID afterId, int limit) {
        if (afterCreated == null) {
            return jdbc.sql("select * from organizations where tenant_id = ? order by created_at, id limit ?")
                    .params(tenantId, limit).query(Organizations::row).list();
        }
        return jdbc.sql("""
                select * from organizations where tenant_id = ? and (created_at, id) > (?, ?)
                 order by created_at, id limit ?""")
                .params(tenantId, Timestamp.from(afterCreated), afterId, limit).query(Organizations::row).list();
    }

    void update(UUID id, String name, List<String> units, List<String> excludeAccounts) {
        jdbc.sql("update organizations set name = ?, organizational_units = ?, exclude_accounts = ? where id = ?")
                .params(name, units.toArray(String[]::new), excludeAccounts.toArray(String[]::new), id).update();
    }

    void synced(UUID id, String awsOrganizationId, Instant at) {
        jdbc.sql("update organizations set aws_organization_id = ?, last_synced_at = ? where id = ?")
                .params(awsOrganizationId, Timestamp.from(at), id).update();
    }

    private static OrganizationRecord row(ResultSet rs, int i) throws SQLException {
        Timestamp synced = rs.getTimestamp("last_synced_at");
        return new OrganizationRecord(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("management_account_id"), rs.getString("name"), rs.getString("aws_organization_id"),
                strings(rs.getArray("organizational_units")), strings(rs.getArray("exclude_accounts")),
                rs.getArray("regions") == null ? null : strings(rs.getArray("regions")), rs.getString("external_id"),
                rs.getString("reader_role_name"), rs.getString("spoke_role_name"),
                rs.getTimestamp("created_at").toInstant(), synced == null ? null : synced.toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.copyOf(Arrays.asList((String[]) array.getArray()));
    }
}
