package dev.unusd.hub.tenant;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String prefix;

    @Column(name = "key_hash", nullable = false)
    private byte[] keyHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private @Nullable Instant lastUsedAt;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    protected ApiKey() {
    }

    ApiKey(UUID id, UUID tenantId, String prefix, byte[] keyHash, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    String prefix() {
        return prefix;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable Instant lastUsedAt() {
        return lastUsedAt;
    }

    boolean revoked() {
        return revokedAt != null;
    }

    void revoke(Instant at) {
        revokedAt = at;
    }
}
