package dev.unusd.hub.tenant;

import dev.unusd.hub.db.DbTime;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;

/** Creating and listing tenants: the admin's work. */
@Service
class TenantService {

    private final Tenants tenants;
    private final TenantSettingsRows settings;
    private final ApiKeyService apiKeys;
    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final Cursors cursors;
    private final TransactionTemplate tx;

    TenantService(Tenants tenants, TenantSettingsRows settings, ApiKeyService apiKeys, ApplicationEventPublisher events,
            JdbcClient jdbc, Cursors cursors, TransactionTemplate tx) {
        this.tenants = tenants;
        this.settings = settings;
        this.apiKeys = apiKeys;
        this.events = events;
        this.jdbc = jdbc;
        this.cursors = cursors;
        this.tx = tx;
    }

    record CreatedTenant(UUID id, String name, String apiKey) {
    }

    record TenantOverview(UUID id, String name, Instant createdAt, long accounts) {
    }

    /** A new tenant with default settings and its first API key, which is returned once and never again. */
    CreatedTenant create(String name) {
        UUID id = UUID.randomUUID();
        // Row-level security admits the new rows only inside the new tenant's own context.
        return TenantContext.callAs(id, () -> tx.execute(status -> {
            Instant now = DbTime.now();
            tenants.save(new Tenant(id, name, now));
            TenantSettings defaults = TenantSettings.defaults();
            settings.save(new TenantSettingsRow(id, defaults, now));
            String apiKey = apiKeys.issue(id, now).apiKey();
            events.publishEvent(new TenantSettingsChanged(id, defaults));
            return new CreatedTenant(id, name, apiKey);
        }));
    }

    Optional<UUID> findByName(String name) {
        return jdbc.sql("select id from hub_tenant_overview(null, null, 2147483647) where name = ? order by created_at limit 1")
                .param(name).query(UUID.class).optional();
    }

    /** One tenant and its number of accounts, read in the tenant's own context: row-level security admits it there. */
    Optional<TenantOverview> find(UUID id) {
        return TenantContext.callAs(id, () -> tx.execute(status -> jdbc.sql("""
                        select t.id, t.name, t.created_at, (select count(*) from accounts a where a.tenant_id = t.id)
                          from tenants t where t.id = ?""")
                .param(id)
                .query((rs, i) -> new TenantOverview(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getLong(4)))
                .optional()));
    }

    Page<TenantOverview> list(int limit, @Nullable String cursor) {
        Timestamp afterCreated = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = cursors.decode("tenants", cursor, 2);
            afterCreated = Timestamp.from(Instant.parse(key.get(0)));
            afterId = UUID.fromString(key.get(1));
        }
        List<TenantOverview> rows = jdbc.sql("select * from hub_tenant_overview(?, ?, ?)")
                .params(afterCreated, afterId, limit + 1)
                .query((rs, i) -> new TenantOverview(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant(), rs.getLong("accounts")))
                .list();
        return Page.of(rows, limit, t -> cursors.encode("tenants", List.of(t.createdAt().toString(), t.id().toString())));
    }
}
