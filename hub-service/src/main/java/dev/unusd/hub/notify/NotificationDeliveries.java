package dev.unusd.hub.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The notification_deliveries table (db/migration/V80): the outbox. Runs in the caller's tenant transaction. */
@Repository
class NotificationDeliveries {

    private static final int MAX_ERROR = 500;

    private final JdbcClient jdbc;

    NotificationDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Delivery d) {
        jdbc.sql("""
                insert into notification_deliveries (id, tenant_id, channel_id, event_id, event_type, occurred_at, data,
                    status, attempts, next_attempt_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 0, ?, ?)""")
                .params(d.id(), d.tenantId(), d.channelId(), d.eventId(), d.eventType(), at(d.occurredAt()), d.data(),
                        d.status().name(), d.nextAttemptAt() == null ? null : at(d.nextAttemptAt()), at(d.createdAt()))
                .update();
    }

    /** The delivery, locked until the transaction ends: two runs of its task never record over each other. */
    Optional<Delivery> lock(UUID tenantId, UUID id) {
        return jdbc.sql("select * from notification_deliveries where tenant_id = ? and id = ? for update")
                .params(tenantId, id).query(NotificationDeliveries::delivery).optional();
    }

    Optional<Delivery> find(UUID tenantId, UUID id) {
        return jdbc.sql("select * from notification_deliveries where tenant_id = ? and id = ?")
                .params(tenantId, id).query(NotificationDeliveries::delivery).optional();
    }

    /** Newest first: a page after (createdAt, id), or the first page. */
    List<Delivery> page(UUID tenantId, UUID channelId, @Nullable Instant beforeCreated, @Nullable UUID beforeId,
            int rows) {
        if (beforeCreated == null) {
            return jdbc.sql("""
                    select * from notification_deliveries where tenant_id = ? and channel_id = ?
                     order by created_at desc, id desc limit ?""")
                    .params(tenantId, channelId, rows).query(NotificationDeliveries::delivery).list();
        }
        return jdbc.sql("""
                select * from notification_deliveries where tenant_id = ? and channel_id = ?
                   and (created_at, id) < (?, ?)
                 order by created_at desc, id desc limit ?""")
                .params(tenantId, channelId, at(beforeCreated), beforeId, rows)
                .query(NotificationDeliveries::delivery).list();
    }

    /** Records one attempt and where it leaves the delivery. */
    void recordAttempt(UUID id, Delivery.Status status, Instant at, @Nullable Integer statusCode,
            @Nullable String error, @Nullable Instant nextAttemptAt) {
        jdbc.sql("""
                update notification_deliveries
                   set status = ?, attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?, last_error = ?,
                       next_attempt_at = ?, delivered_at = case when ? = 'DELIVERED' then ? end
                 where id = ?""")
                .params(status.name(), at(at), statusCode, truncate(error),
                        nextAttemptAt == null ? null : at(nextAttemptAt), status.name(), at(at), id)
                .update();
    }

    /** Not sent: its channel is off or gone. The attempts so far stay as they were. */
    void discard(UUID id, String reason) {
        jdbc.sql("update notification_deliveries set status = 'DISCARDED', next_attempt_at = null, last_error = ? where id = ?")
                .params(truncate(reason), id).update();
    }

    private static Delivery delivery(ResultSet rs, int i) throws SQLException {
        Object code = rs.getObject("last_status_code");
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("channel_id", UUID.class), rs.getObject("event_id", UUID.class),
                rs.getString("event_type"), instant(rs, "occurred_at"), rs.getString("data"),
                Delivery.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                nullableInstant(rs, "next_attempt_at"), nullableInstant(rs, "last_attempt_at"),
                code == null ? null : ((Number) code).intValue(), rs.getString("last_error"),
                nullableInstant(rs, "delivered_at"), instant(rs, "created_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable String truncate(@Nullable String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
