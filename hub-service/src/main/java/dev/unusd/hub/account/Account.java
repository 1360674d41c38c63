package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registered account. Every change reads it with its row locked ({@link Accounts#lockOwned},
 * {@link Accounts#lockAll}), so an organisation's sync and a PATCH each apply theirs to what the other committed
 * instead of writing back a whole row read before it: locks, not a version column, as the two seldom touch the same
 * field and a version would turn each overlap into a 409 or a retried sync.
 */
@Entity
@Table(name = "accounts")
class Account {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private UUID tenantId;

    @Column(name = "aws_account_id", nullable = false)
    private String awsAccountId;

    @Column(nullable = false)
    private String name;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    private List<String> regions;

    @Column(name = "regions_from_defaults", nullable = false)
    private boolean regionsFromDefaults;

    @Column(name = "role_name", nullable = false)
    private String roleName;

    @Column(name = "external_id", nullable = false)
    private String externalId;

    @Column(nullable = false)
    private boolean enabled;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AccountStatus status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "last_verified_at")
    private @Nullable Instant lastVerifiedAt;

    @Column(name = "organization_id")
    private @Nullable UUID organizationId;

    @Column(name = "ou_path")
    private @Nullable String ouPath;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "aws_tags", nullable = false, columnDefinition = "jsonb")
    private Map<String, String> awsTags = Map.of();

    @Enumerated(EnumType.STRING)
    @Column(name = "deactivated_reason")
    private @Nullable Deactivation deactivatedReason;

    @Column(name = "deactivated_at")
    private @Nullable Instant deactivatedAt;

    /** When scans of it were last stopped; kept once it is enabled again (V190: what a scan no longer reaches). */
    @Column(name = "last_disabled_at")
    private @Nullable Instant lastDisabledAt;

    /** Region to when it was last taken out of the account's explicit region list (an ISO instant). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "regions_removed_at", nullable = false, columnDefinition = "jsonb")
    private Map<String, String> regionsRemovedAt = Map.of();

    protected Account() {
    }

    Account(UUID id, UUID tenantId, String awsAccountId, String name, List<String> regions,
            boolean regionsFromDefaults, String roleName, String externalId, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.awsAccountId = awsAccountId;
        this.name = name;
        this.regions = List.copyOf(regions);
        this.regionsFromDefaults = regionsFromDefaults;
        this.roleName = roleName;
        this.externalId = externalId;
        this.enabled = true;
        this.status = AccountStatus.PENDING;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** An account an organisation's sync registers: where it sits in the organisation and its tags. */
    static Account member(UUID id, UUID tenantId, OrganizationMember member, List<String> regions,
            boolean regionsFromDefaults, Instant now) {
        Account account = new Account(id, tenantId, member.awsAccountId(), member.name(), regions, regionsFromDefaults,
                member.roleName(), member.externalId(), now);
        account.organizationId = member.organizationId();
        account.ouPath = member.ouPath();
        account.awsTags = Map.copyOf(member.tags());
        return account;
    }

    @Nullable UUID organizationId() {
        return organizationId;
    }

    @Nullable Deactivation deactivatedReason() {
        return deactivatedReason;
    }

    boolean enabled() {
        return enabled;
    }

    String awsAccountId() {
        return awsAccountId;
    }

    String name() {
        return name;
    }

    /** The organisation's view of the account as of a sync: name, place and tags (untouched rows stay unwritten). */
    void placed(OrganizationMember member, Instant now) {
        if (!member.name().equals(name) || !member.ouPath().equals(ouPath) || !member.tags().equals(awsTags)) {
            name = member.name();
            ouPath = member.ouPath();
            awsTags = Map.copyOf(member.tags());
            updatedAt = now;
        }
    }

    /** A sync found the account gone from the chosen scope: no more scans, its findings stay as they were. */
    void deactivate(Deactivation reason, Instant now) {
        if (enabled) {
            lastDisabledAt = now;
        }
        enabled = false;
        status = AccountStatus.DISABLED;
        if (deactivatedAt == null) {
            deactivatedAt = now; // when it was deactivated, kept should the reason change at a later sync
        }
        deactivatedReason = reason;
        updatedAt = now;
    }

    /**
     * Taken over by an organisation registered again after the one that registered it was removed: the new
     * organisation's ExternalId and role, enabled again to be verified afresh unless the tenant disabled it itself.
     * Returns whether it was reactivated.
     */
    boolean adopt(OrganizationMember member, Instant now) {
        organizationId = member.organizationId();
        externalId = member.externalId();
        roleName = member.roleName();
        placed(member, now);
        updatedAt = now;
        if (deactivatedReason == null) {
            return false; // enabled, or disabled by the tenant itself
        }
        reactivate(now);
        return true;
    }

    /** Back in scope after a sync deactivated it: enabled again, to be verified afresh. */
    void reactivate(Instant now) {
        enabled = true;
        status = AccountStatus.PENDING;
        deactivatedReason = null;
        deactivatedAt = null;
        updatedAt = now;
    }

    void rename(String newName, Instant now) {
        name = newName;
        updatedAt = now;
    }

    /**
     * Regions set for the account are listed for it, whatever they were before. Returns whether scans now cover
     * other regions than before; each region they no longer cover is recorded with the time it was taken out.
     */
    boolean changeRegions(List<String> newRegions, Instant now) {
        Set<String> before = Set.copyOf(toRef().coveredRegions());
        regions = List.copyOf(newRegions);
        regionsFromDefaults = false;
        updatedAt = now;
        Set<String> after = Set.copyOf(toRef().coveredRegions());
        Map<String, String> removed = new TreeMap<>(regionsRemovedAt);
        before.stream().filter(region -> !after.contains(region)).forEach(region -> removed.put(region, now.toString()));
        regionsRemovedAt = Map.copyOf(removed);
        return !before.equals(after);
    }

    /** Disabling stops scans; enabling asks for a fresh verification. Returns whether it changed. */
    boolean enable(boolean enable, Instant now) {
        if (enable == enabled) {
            return false;
        }
        enabled = enable;
        deactivatedReason = null; // the tenant's own decision replaces a sync's
        deactivatedAt = null;
        status = enable ? AccountStatus.PENDING : AccountStatus.DISABLED;
        if (!enable) {
            lastDisabledAt = now;
        }
        updatedAt = now;
        return true;
    }

    void verified(boolean connected, Instant at) {
        lastVerifiedAt = at;
        if (enabled) {
            status = connected ? AccountStatus.CONNECTED : AccountStatus.FAILED;
        }
        updatedAt = at;
    }

    AccountRef toRef() {
        return new AccountRef(id, tenantId, awsAccountId, name, List.copyOf(regions), regionsFromDefaults, roleName,
                externalId, enabled, status, createdAt, lastVerifiedAt, organizationId, ouPath, Map.copyOf(awsTags),
                deactivatedReason, deactivatedAt);
    }
}
