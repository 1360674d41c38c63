package dev.unusd.hub.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

import jakarta.persistence.LockModeType;

/** Tenant filters are explicit here and enforced again by row-level security underneath. */
interface ApiKeys extends JpaRepository<ApiKey, UUID> {

    @Query("select k from ApiKey k where k.tenantId = :tenantId and k.revokedAt is null order by k.createdAt, k.id")
    List<ApiKey> firstActive(UUID tenantId, Limit limit);

    @Query("""
            select k from ApiKey k where k.tenantId = :tenantId and k.revokedAt is null
              and (k.createdAt > :afterCreated or (k.createdAt = :afterCreated and k.id > :afterId))
            order by k.createdAt, k.id""")
    List<ApiKey> activeAfter(UUID tenantId, Instant afterCreated, UUID afterId, Limit limit);

    @Query("select k from ApiKey k where k.tenantId = :tenantId and k.id = :id and k.revokedAt is null")
    Optional<ApiKey> findActive(UUID tenantId, UUID id);

    /**
     * The tenant's active keys, each row locked until the transaction ends; in id order, so two revocations queue on
     * the same first row instead of each holding a row the other wants.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select k from ApiKey k where k.tenantId = :tenantId and k.revokedAt is null order by k.id")
    List<ApiKey> lockActive(UUID tenantId);
}
