package dev.unusd.hub.account;

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
interface Accounts extends JpaRepository<Account, UUID> {

    @Query("select a from Account a where a.tenantId = :tenantId and a.id = :id")
    Optional<Account> findOwned(UUID tenantId, UUID id);

    Optional<Account> findByTenantIdAndAwsAccountId(UUID tenantId, String awsAccountId);

    boolean existsByTenantIdAndAwsAccountId(UUID tenantId, String awsAccountId);

    @Query("select a from Account a where a.tenantId = :tenantId order by a.createdAt, a.id")
    List<Account> first(UUID tenantId, Limit limit);

    @Query("""
            select a from Account a where a.tenantId = :tenantId
              and (a.createdAt > :afterCreated or (a.createdAt = :afterCreated and a.id > :afterId))
            order by a.createdAt, a.id""")
    List<Account> after(UUID tenantId, Instant afterCreated, UUID afterId, Limit limit);

    @Query("select distinct a.awsAccountId from Account a where a.tenantId = :tenantId")
    List<String> awsAccountIds(UUID tenantId);

    List<Account> findByTenantId(UUID tenantId);

    /** The account, its row locked until the transaction ends: how a change reads it ({@link Account} says why). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Account a where a.tenantId = :tenantId and a.id = :id")
    Optional<Account> lockOwned(UUID tenantId, UUID id);

    /**
     * Every account of the tenant, each row locked until the transaction ends; in id order, so two syncs of the
     * tenant's organisations queue on the same first row instead of each holding a row the other wants.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Account a where a.tenantId = :tenantId order by a.id")
    List<Account> lockAll(UUID tenantId);

    @Query("select a from Account a where a.tenantId = :tenantId and a.enabled = true order by a.createdAt, a.id")
    List<Account> enabled(UUID tenantId);
}
