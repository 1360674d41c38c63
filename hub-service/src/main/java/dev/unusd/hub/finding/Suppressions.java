package dev.unusd.hub.finding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.FieldError;
import dev.unusd.hub.web.Page;

/**
 * Mutes decided in the hub: one finding, one key, or a finding type across an account, with a reason, an author and
 * an optional expiry. A new suppression mutes the matching OPEN findings at once; the reconciler keeps them
 * SUPPRESSED at every scan while it is active, and opens them again at the first scan after it expired or was
 * deleted (a finding's status is what the last scan judged, so nothing reopens between scans).
 */
@Service
class Suppressions {

    private final JdbcClient jdbc;
    private final Cursors cursors;
    private final ApplicationEventPublisher events;

    Suppressions(JdbcClient jdbc, Cursors cursors, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.cursors = cursors;
        this.events = events;
    }

    enum Scope { FINDING, KEY, ACCOUNT_TYPE }

    record Suppression(UUID id, Scope scope, @Nullable UUID findingId, @Nullable UUID keyRef, @Nullable UUID accountId,
            @Nullable FindingType type, String reason, String author, Instant createdAt, @Nullable Instant expiresAt,
            boolean active, long suppressedFindings) {
    }

    /** What to mute: {@code findingId} for FINDING, {@code keyRef} for KEY, {@code accountId} and {@code type} for ACCOUNT_TYPE. */
    record Target(Scope scope, @Nullable UUID findingId, @Nullable UUID keyRef, @Nullable UUID accountId,
            @Nullable FindingType type) {

        /** A field of another scope is a mistake the caller should hear about, not a filter silently dropped. */
        void refuseOthers() {
            List<FieldError> errors = new ArrayList<>();
            String message = "must not be given for scope " + scope;
            if (findingId != null && scope != Scope.FINDING) {
                errors.add(new FieldError("findingId", message));
            }
            if (keyRef != null && scope != Scope.KEY) {
                errors.add(new FieldError("keyRef", message));
            }
            if (accountId != null && scope != Scope.ACCOUNT_TYPE) {
                errors.add(new FieldError("accountId", message));
            }
            if (type != null && scope != Scope.ACCOUNT_TYPE) {
                errors.add(new FieldError("type", message));
            }
            if (!errors.isEmpty()) {
                throw ApiException.badRequest(errors);
            }
        }
    }

    @Transactional
    Suppression create(Target target, String reason, String author, @Nullable Instant expiresAt, Instant now) {
        UUID tenant = TenantContext.require();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.badRequest("expiresAt", "must be in the future");
        }
        target.refuseOthers();
        UUID keyRef = null;
        UUID accountId = null;
        String type = null;
        // The one account whose findings it can mute, whatever its scope.
        UUID mutedAccount = switch (target.scope()) {
            case FINDING -> {
                UUID finding = required(target.findingId(), "findingId");
                record Found(UUID keyRef, String type, UUID accountId) {
                }
                Found found = jdbc.sql("SELECT key_ref, type, account_id FROM findings WHERE tenant_id = ? AND id = ?")
                        .params(tenant, finding)
                        .query((rs, i) -> new Found(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getObject(3, UUID.class)))
                        .optional().orElseThrow(() -> ApiException.notFound("Finding"));
                keyRef = found.keyRef();
                type = found.type();
                yield found.accountId();
            }
            case KEY -> {
                keyRef = required(target.keyRef(), "keyRef");
                yield jdbc.sql("SELECT account_id FROM kms_keys WHERE tenant_id = ? AND id = ?")
                        .params(tenant, keyRef).query(UUID.class).optional()
                        .orElseThrow(() -> ApiException.notFound("Key"));
            }
            case ACCOUNT_TYPE -> {
                accountId = required(target.accountId(), "accountId");
                type = required(target.type(), "type").name();
                boolean exists = jdbc.sql("SELECT count(*) FROM accounts WHERE tenant_id = ? AND id = ?")
                        .params(tenant, accountId).query(Long.class).single() > 0;
                if (!exists) {
                    throw ApiException.notFound("Account");
                }
                yield accountId;
            }
        };
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO suppressions (id, tenant_id, scope, key_ref, account_id, type, reason, author, created_at,
                                          expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, tenant, target.scope().name(), keyRef, accountId, type, reason, author, utc(now),
                        expiresAt == null ? null : utc(expiresAt))
                .update();
        // Muted now, not only at the next scan; an event per finding as the reconciler records.
        int muted = jdbc.sql("""
                WITH muted AS (
                    UPDATE findings f SET status = 'SUPPRESSED'
                      FROM suppressions s
                     WHERE s.id = :id AND f.tenant_id = :tenant AND f.status = 'OPEN'
                       AND ((s.key_ref = f.key_ref AND (s.type IS NULL OR s.type = f.type))
                         OR (s.account_id = f.account_id AND s.type = f.type))
                    RETURNING f.id
                )
                INSERT INTO finding_events (tenant_id, finding_id, scan_id, status, at)
                SELECT :tenant, id, NULL, 'SUPPRESSED', :now FROM muted""")
                .param("id", id).param("tenant", tenant).param("now", utc(now))
                .update();
        if (muted > 0) {
            events.publishEvent(new FindingsChanged(tenant, mutedAccount));
        }
        return find(id).orElseThrow();
    }

    @Transactional(readOnly = true)
    Page<Suppression> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        String scope = "suppressions:" + tenant;
        String sql = SELECT + " WHERE s.tenant_id = :tenant";
        JdbcClient.StatementSpec statement;
        if (cursor == null) {
            statement = jdbc.sql(sql + " ORDER BY s.created_at, s.id LIMIT :rows");
        } else {
            List<String> after = cursors.decode(scope, cursor, 2);
            statement = jdbc.sql(sql + " AND (s.created_at, s.id) > (:afterCreated, :afterId)"
                    + " ORDER BY s.created_at, s.id LIMIT :rows")
                    .param("afterCreated", utc(parseInstant(after.get(0))))
                    .param("afterId", parseId(after.get(1)));
        }
        List<Suppression> rows = statement.param("tenant", tenant).param("rows", limit + 1)
                .query(Suppressions::row).list();
        return Page.of(rows, limit, s -> cursors.encode(scope, List.of(s.createdAt().toString(), s.id().toString())));
    }

    @Transactional(readOnly = true)
    Optional<Suppression> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE s.tenant_id = :tenant AND s.id = :id")
                .param("tenant", TenantContext.require()).param("id", id)
                .query(Suppressions::row).optional();
    }

    /** What the dashboard names a suppression's key and account by: the AWS key id and the account's name. */
    record Labels(Map<UUID, String> keyIds, Map<UUID, String> accountNames) {
    }

    @Transactional(readOnly = true)
    Labels labels(List<Suppression> shown) {
        UUID tenant = TenantContext.require();
        Set<UUID> keys = new HashSet<>();
        Set<UUID> accounts = new HashSet<>();
        shown.forEach(s -> {
            if (s.keyRef() != null) {
                keys.add(s.keyRef());
            }
            if (s.accountId() != null) {
                accounts.add(s.accountId());
            }
        });
        Map<UUID, String> keyIds = new HashMap<>();
        Map<UUID, String> accountNames = new HashMap<>();
        if (!keys.isEmpty()) {
            jdbc.sql("SELECT id, key_id FROM kms_keys WHERE tenant_id = :tenant AND id IN (:ids)")
                    .param("tenant", tenant).param("ids", keys)
                    .query((RowCallbackHandler) rs -> keyIds.put(rs.getObject(1, UUID.class), rs.getString(2)));
        }
        if (!accounts.isEmpty()) {
            jdbc.sql("SELECT id, name FROM accounts WHERE tenant_id = :tenant AND id IN (:ids)")
                    .param("tenant", tenant).param("ids", accounts)
                    .query((RowCallbackHandler) rs -> accountNames.put(rs.getObject(1, UUID.class), rs.getString(2)));
        }
        return new Labels(keyIds, accountNames);
    }

    /** Its findings open again at the next scan that judges them. */
    @Transactional
    void delete(UUID id) {
        int deleted = jdbc.sql("DELETE FROM suppressions WHERE tenant_id = ? AND id = ?")
                .params(TenantContext.require(), id).update();
        if (deleted == 0) {
            throw ApiException.notFound("Suppression");
        }
    }

    private static final String SELECT = """
            SELECT s.id, s.scope, s.key_ref, s.account_id, s.type, s.reason, s.author, s.created_at, s.expires_at,
                   (s.expires_at IS NULL OR s.expires_at > now()) AS active,
                   (SELECT f.id FROM findings f WHERE s.scope = 'FINDING' AND f.key_ref = s.key_ref AND f.type = s.type)
                       AS finding_id,
                   (SELECT count(*) FROM findings f WHERE f.tenant_id = s.tenant_id AND f.status = 'SUPPRESSED'
                       AND ((s.key_ref = f.key_ref AND (s.type IS NULL OR s.type = f.type))
                         OR (s.account_id = f.account_id AND s.type = f.type))) AS suppressed_findings
              FROM suppressions s""";

    private static Suppression row(ResultSet rs, int i) throws SQLException {
        String type = rs.getString("type");
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new Suppression(rs.getObject("id", UUID.class), Scope.valueOf(rs.getString("scope")),
                rs.getObject("finding_id", UUID.class), rs.getObject("key_ref", UUID.class),
                rs.getObject("account_id", UUID.class), type == null ? null : FindingType.valueOf(type),
                rs.getString("reason"), rs.getString("author"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                expires == null ? null : expires.toInstant(), rs.getBoolean("active"),
                rs.getLong("suppressed_findings"));
    }

    private static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw ApiException.badRequest(field, "is required for this scope");
        }
        return value;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor", "is not a cursor issued for this list");
        }
    }

    private static UUID parseId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor issued for this list");
        }
    }
}
