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

/**
 * The tenant's registered organisations, and the OUs their syncs read. Tenant filters are explicit and enforced again
 * by row-level security. A removed organisation keeps its row (its accounts point at it) and is found by none of the
 * reads but {@link #removedIds}.
 */
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
        return jdbc.sql("""
                select count(*) from organizations
                 where tenant_id = ? and management_account_id = ? and removed_at is null""")
                .params(tenantId, managementAccountId).query(Long.class).single() > 0;
    }

    Optional<OrganizationRecord> find(UUID tenantId, UUID id) {
        return jdbc.sql("select * from organizations where tenant_id = ? and id = ? and removed_at is null")
                .params(tenantId, id).query(Organizations::row).optional();
    }

    List<String> awsOrganizationIds(UUID tenantId) {
        return jdbc.sql("""
                select distinct aws_organization_id from organizations
                where tenant_id = ? and aws_organization_id is not null and removed_at is null""")
                .param(tenantId).query(String.class).list();
    }

    List<OrganizationRecord> all(UUID tenantId) {
        return jdbc.sql("""
                select * from organizations where tenant_id = ? and removed_at is null order by created_at, id""")
                .param(tenantId).query(Organizations::row).list();
    }

    List<OrganizationRecord> page(UUID tenantId, @Nullable Instant afterCreated, @Nullable UUID afterId, int limit) {
        if (afterCreated == null) {
            return jdbc.sql("""
                    select * from organizations where tenant_id = ? and removed_at is null
                     order by created_at, id limit ?""")
                    .params(tenantId, limit).query(Organizations::row).list();
        }
        return jdbc.sql("""
                select * from organizations where tenant_id = ? and removed_at is null and (created_at, id) > (?, ?)
                 order by created_at, id limit ?""")
                .params(tenantId, Timestamp.from(afterCreated), afterId, limit).query(Organizations::row).list();
    }

    /**
     * The organisation, its row locked until the transaction ends: requesting a sync and removing the organisation
     * take this lock first, so a removal never misses a sync queued meanwhile.
     */
    Optional<OrganizationRecord> lock(UUID tenantId, UUID id) {
        return jdbc.sql("select * from organizations where tenant_id = ? and id = ? and removed_at is null for update")
                .params(tenantId, id).query(Organizations::row).optional();
    }

    void markRemoved(UUID id, Instant at) {
        jdbc.sql("update organizations set removed_at = ? where id = ?").params(Timestamp.from(at), id).update();
    }

    /** The tenant's removed organisations: their accounts may be taken over by an organisation registered again. */
    List<UUID> removedIds(UUID tenantId) {
        return jdbc.sql("select id from organizations where tenant_id = ? and removed_at is not null")
                .param(tenantId).query(UUID.class).list();
    }

    /** The OUs and root of the organisation as a sync read them: added, or renamed and moved. */
    void saveUnits(UUID tenantId, UUID organizationId, List<Unit> units, Instant at) {
        jdbc.sql("""
                insert into organization_units (tenant_id, organization_id, id, name, path, last_seen_at)
                select ?, ?, u.id, u.name, u.path, ?
                  from unnest(?::text[], ?::text[], ?::text[]) as u (id, name, path)
                on conflict (organization_id, id) do update
                   set name = excluded.name, path = excluded.path, last_seen_at = excluded.last_seen_at""")
                .params(tenantId, organizationId, Timestamp.from(at),
                        units.stream().map(Unit::id).toArray(String[]::new),
                        units.stream().map(Unit::name).toArray(String[]::new),
                        units.stream().map(Unit::path).toArray(String[]::new))
                .update();
    }

    /** An OU or root: its id, name and AWS entity path ending in its own id. */
    record Unit(String id, String name, String path) {
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
