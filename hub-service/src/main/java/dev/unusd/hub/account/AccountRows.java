package dev.unusd.hub.account;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an account as {@link AccountRef} with one SQL statement, past the persistence context: every scan target
 * reads its account, and loading the entity through JPA cost more CPU than the rest of the target's reads together.
 * Maps the columns {@link Account} maps; AccountIntegrationTest checks the two agree.
 */
@Repository
class AccountRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    AccountRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<AccountRef> find(UUID tenantId, UUID accountId) {
        return jdbc.sql("""
                select id, tenant_id, aws_account_id, name, regions, regions_from_defaults, role_name, external_id,
                       enabled, status, created_at, last_verified_at, organization_id, ou_path, aws_tags::text as tags,
                       deactivated_reason, deactivated_at
                  from accounts where tenant_id = ? and id = ?""")
                .params(tenantId, accountId)
                .query(AccountRows::ref)
                .optional();
    }

    private static AccountRef ref(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString("deactivated_reason");
        return new AccountRef(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("aws_account_id"), rs.getString("name"), regions(rs.getArray("regions")),
                rs.getBoolean("regions_from_defaults"), rs.getString("role_name"), rs.getString("external_id"),
                rs.getBoolean("enabled"), AccountStatus.valueOf(rs.getString("status")),
                instant(rs, "created_at"), nullableInstant(rs, "last_verified_at"),
                rs.getObject("organization_id", UUID.class), rs.getString("ou_path"),
                Map.copyOf(JSON.readValue(rs.getString("tags"), TAGS)),
                reason == null ? null : Deactivation.valueOf(reason), nullableInstant(rs, "deactivated_at"));
    }

    private static List<String> regions(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
