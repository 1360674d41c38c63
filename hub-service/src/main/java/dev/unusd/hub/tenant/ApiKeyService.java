package dev.unusd.hub.tenant;

import dev.unusd.hub.db.DbTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;

/** Issuing, listing, revoking and authenticating tenant API keys. */
@Service
class ApiKeyService {

    private final ApiKeys keys;
    private final JdbcClient jdbc;
    private final Cursors cursors;

    ApiKeyService(ApiKeys keys, JdbcClient jdbc, Cursors cursors) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.cursors = cursors;
    }

    record IssuedKey(UUID id, String apiKey) {
    }

    record KeyView(UUID id, String prefix, Instant createdAt, @Nullable Instant lastUsedAt) {
    }

    /** A live key's tenant, and the version of the tenant's findings at this moment (see FindingPages). */
    record Authenticated(UUID tenantId, UUID apiKeyId, long findingsVersion) {
    }

    @Transactional
    IssuedKey issue(UUID tenantId, Instant now) {
        String secret = ApiKeySecret.generate();
        ApiKey key = keys.save(new ApiKey(UUID.randomUUID(), tenantId, ApiKeySecret.displayPrefix(secret),
                ApiKeySecret.hash(secret), now));
        return new IssuedKey(key.id(), secret);
    }

    @Transactional(readOnly = true)
    Page<KeyView> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<ApiKey> rows;
        if (cursor == null) {
            rows = keys.firstActive(tenant, Limit.of(limit + 1));
        } else {
            List<String> after = cursors.decode(scope(tenant), cursor, 2);
            rows = keys.activeAfter(tenant, Instant.parse(after.get(0)), UUID.fromString(after.get(1)), Limit.of(limit + 1));
        }
        List<KeyView> views = rows.stream().map(ApiKeyService::view).toList();
        return Page.of(views, limit, k -> cursors.encode(scope(tenant), List.of(k.createdAt().toString(), k.id().toString())));
    }

    /** One of the tenant's active keys; a revoked key, like another tenant's, is not found. */
    @Transactional(readOnly = true)
    KeyView get(UUID id) {
        return keys.findActive(TenantContext.require(), id).map(ApiKeyService::view)
                .orElseThrow(() -> ApiException.notFound("API key"));
    }

    /**
     * Revokes a key at once; the last active key of a tenant cannot be revoked, or the tenant would be locked out.
     * The active keys are locked before they are counted: two revocations at once would otherwise each count the
     * other's key as active (READ COMMITTED) and leave none. The second waits, then finds one key left.
     */
    @Transactional
    void revoke(UUID id) {
        List<ApiKey> active = keys.lockActive(TenantContext.require());
        ApiKey key = active.stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("API key"));
        if (active.size() <= 1) {
            throw ApiException.conflict("The last active API key of a tenant cannot be revoked; create another key first");
        }
        key.revoke(DbTime.now());
    }

    /**
     * The version of the tenant's findings if this key of the tenant in context is still live (a dashboard session
     * ends when its key is revoked); read before the request reads anything, as authentication does for the API.
     */
    @Transactional(readOnly = true)
    Optional<Long> findingsVersionIfActive(UUID id) {
        return jdbc.sql("""
                        select t.findings_version from api_keys k join tenants t on t.id = k.tenant_id
                         where k.id = ? and k.tenant_id = ? and k.revoked_at is null""")
                .params(id, TenantContext.require())
                .query(Long.class)
                .optional();
    }

    /** The tenant a presented key belongs to, if it is a live key. Runs outside any tenant context. */
    Optional<Authenticated> authenticate(String presented) {
        if (!ApiKeySecret.looksLikeKey(presented)) {
            return Optional.empty();
        }
        return jdbc.sql("select tenant_id, api_key_id, findings_version from hub_authenticate_api_key(?)")
                .param(ApiKeySecret.hash(presented))
                .query((rs, i) -> new Authenticated(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getLong(3)))
                .optional();
    }

    private static KeyView view(ApiKey key) {
        return new KeyView(key.id(), key.prefix(), key.createdAt(), key.lastUsedAt());
    }

    private static String scope(UUID tenant) {
        return "api-keys:" + tenant;
    }
}
