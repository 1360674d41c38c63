package dev.unusd.hub.notify;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.unusd.hub.rule.Severity;

/**
 * The notification_channels table (db/migration/V80). Every method runs in the caller's tenant transaction, so
 * row-level security applies on top of the tenant predicates the indexes need.
 */
@Repository
class NotificationChannels {

    private final JdbcClient jdbc;

    NotificationChannels(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Channel c) {
        jdbc.sql("""
                insert into notification_channels (id, tenant_id, type, name, target_encrypted, target_hint,
                    secret_encrypted, events, min_severity, accounts, enabled, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::uuid[], ?, ?, ?)""")
                .params(c.id(), c.tenantId(), c.type().name(), c.name(), c.targetSealed(), c.targetHint(),
                        c.secretSealed(), c.events().toArray(String[]::new), c.minSeverity().name(), uuids(c.accounts()),
                        c.enabled(), at(c.createdAt()), at(c.updatedAt()))
                .update();
    }

    /** Writes everything a PATCH can change; enabling a channel clears the reason the hub disabled it for. */
    void update(Channel c) {
        jdbc.sql("""
                update notification_channels
                   set name = ?, target_encrypted = ?, target_hint = ?, events = ?::text[], min_severity = ?,
                       accounts = ?::uuid[], enabled = ?, disabled_reason = ?, disabled_at = ?, updated_at = ?
                 where tenant_id = ? and id = ?""")
                .params(c.name(), c.targetSealed(), c.targetHint(), c.events().toArray(String[]::new),
                        c.minSeverity().name(), uuids(c.accounts()), c.enabled(), c.disabledReason(),
                        c.disabledAt() == null ? null : at(c.disabledAt()), at(c.updatedAt()), c.tenantId(), c.id())
                .update();
    }

    /** The hub turns a channel off itself: its receiver is gone or has failed for too long. */
    void disable(UUID tenantId, UUID id, String reason, Instant at) {
        jdbc.sql("""
                update notification_channels set enabled = false, disabled_reason = ?, disabled_at = ?, updated_at = ?
                 where tenant_id = ? and id = ? and enabled""")
                .params(reason, at(at), at(at), tenantId, id).update();
    }

    boolean delete(UUID tenantId, UUID id) {
        return jdbc.sql("delete from notification_channels where tenant_id = ? and id = ?").params(tenantId, id)
                .update() == 1;
    }

    Optional<Channel> find(UUID tenantId, UUID id) {
        return jdbc.sql("select * from notification_channels where tenant_id = ? and id = ?").params(tenantId, id)
                .query(NotificationChannels::channel).optional();
    }

    /** Oldest first: a page after (createdAt, id), or the first page. */
    List<Channel> page(UUID tenantId, @Nullable Instant afterCreated, @Nullable UUID afterId, int rows) {
        if (afterCreated == null) {
            return jdbc.sql("select * from notification_channels where tenant_id = ? order by created_at, id limit ?")
                    .params(tenantId, rows).query(NotificationChannels::channel).list();
        }
        return jdbc.sql("""
                select * from notification_channels where tenant_id = ? and (created_at, id) > (?, ?)
                 order by created_at, id limit ?""")
                .params(tenantId, at(afterCreated), afterId, rows).query(NotificationChannels::channel).list();
    }

    /** The tenant's enabled channels subscribed to an event. */
    List<Channel> subscribers(UUID tenantId, NotificationEvent event) {
        return jdbc.sql("""
                select * from notification_channels where tenant_id = ? and enabled and ? = any(events)
                 order by created_at, id""")
                .params(tenantId, event.wireName()).query(NotificationChannels::channel).list();
    }

    private static Channel channel(ResultSet rs, int i) throws SQLException {
        Timestamp disabledAt = rs.getTimestamp("disabled_at");
        return new Channel(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                ChannelType.valueOf(rs.getString("type")), rs.getString("name"), rs.getBytes("target_encrypted"),
                rs.getString("target_hint"), rs.getBytes("secret_encrypted"), strings(rs.getArray("events")),
                Severity.valueOf(rs.getString("min_severity")), accountIds(rs.getArray("accounts")),
                rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                disabledAt == null ? null : disabledAt.toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static @Nullable List<UUID> accountIds(@Nullable Array array) throws SQLException {
        return array == null ? null : Arrays.stream((Object[]) array.getArray()).map(o -> (UUID) o).toList();
    }

    private static String @Nullable [] uuids(@Nullable List<UUID> ids) {
        return ids == null ? null : ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
