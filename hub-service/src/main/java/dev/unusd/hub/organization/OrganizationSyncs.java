package dev.unusd.hub.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The record of every sync, newest first per organisation. */
@Repository
class OrganizationSyncs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    OrganizationSyncs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void queue(UUID id, UUID tenantId, UUID organizationId, SyncRecord.Trigger trigger, Instant at) {
        jdbc.sql("""
                insert into organization_syncs (id, tenant_id, organization_id, trigger, status, created_at)
                values (?, ?, ?, ?, 'QUEUED', ?)""")
                .params(id, tenantId, organizationId, trigger.name(), Timestamp.from(at)).update();
    }

    /** A sync of the organisation that has not ended, if any: a second one would only repeat its work. */
    Optional<SyncRecord> active(UUID organizationId) {
        return jdbc.sql("""
                select * from organization_syncs where organization_id = ? and status in ('QUEUED', 'RUNNING')
                 order by created_at desc limit 1""")
                .param(organizationId).query(OrganizationSyncs::row).optional();
    }

    /**
     * RUNNING from now, unless it has ended: false then. A task revived after its instance died runs its sync again
     * from the start; one that died after the sync's end was recorded finds nothing left to do.
     */
    boolean start(UUID id, Instant at) {
        return jdbc.sql("""
                update organization_syncs set status = 'RUNNING', started_at = ?
                 where id = ? and status in ('QUEUED', 'RUNNING')""")
                .params(Timestamp.from(at), id).update() == 1;
    }

    void finish(SyncRecord sync) {
        jdbc.sql("""
                update organization_syncs set status = ?, finished_at = ?, accounts_found = ?, in_scope = ?,
                    added = ?, reactivated = ?, removed = ?, unchanged = ?, verified = ?, api_calls = ?, throttled = ?,
                    error_code = ?, error_message = ?, errors = cast(? as jsonb)
                 where id = ?""")
                .params(sync.status().name(), Timestamp.from(sync.finishedAt()), sync.accountsFound(), sync.inScope(),
                        sync.added(), sync.reactivated(), sync.removed(), sync.unchanged(), sync.verified(),
                        sync.apiCalls(), sync.throttled(), sync.error() == null ? null : sync.error().code(),
                        sync.error() == null ? null : sync.error().message(), JSON.writeValueAsString(sync.errors()),
                        sync.id())
                .update();
    }

    Optional<SyncRecord> find(UUID organizationId, UUID id) {
        return jdbc.sql("select * from organization_syncs where organization_id = ? and id = ?")
                .params(organizationId, id).query(OrganizationSyncs::row).optional();
    }

    List<SyncRecord> page(UUID organizationId, @Nullable Instant beforeCreated, @Nullable UUID beforeId, int limit) {
        if (beforeCreated == null) {
            return jdbc.sql("""
                    select * from organization_syncs where organization_id = ?
                     order by created_at desc, id desc limit ?""")
                    .params(organizationId, limit).query(OrganizationSyncs::row).list();
        }
        return jdbc.sql("""
                select * from organization_syncs where organization_id = ? and (created_at, id) < (?, ?)
                 order by created_at desc, id desc limit ?""")
                .params(organizationId, Timestamp.from(beforeCreated), beforeId, limit)
                .query(OrganizationSyncs::row).list();
    }

    private static SyncRecord row(ResultSet rs, int i) throws SQLException {
        String errorCode = rs.getString("error_code");
        return new SyncRecord(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                SyncRecord.Trigger.valueOf(rs.getString("trigger")), SyncRecord.Status.valueOf(rs.getString("status")),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getInt("accounts_found"), rs.getInt("in_scope"), rs.getInt("added"), rs.getInt("reactivated"),
                rs.getInt("removed"), rs.getInt("unchanged"), rs.getInt("verified"), rs.getInt("api_calls"),
                rs.getInt("throttled"),
                errorCode == null ? null : new SyncRecord.Problem(errorCode, rs.getString("error_message")),
                JSON.readValue(rs.getString("errors"), new TypeReference<List<SyncRecord.AccountError>>() { }));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
