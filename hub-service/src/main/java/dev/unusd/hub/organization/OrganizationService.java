package dev.unusd.hub.organization;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.ExternalIds;
import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;
import dev.unusd.spokerole.SpokeRoleTemplate;

/** Registering the tenant's organisations, reading them and their syncs, and asking for a sync. */
@Service
class OrganizationService {

    private final Organizations organizations;
    private final OrganizationSyncs syncs;
    private final OrganizationSchedules schedules;
    private final Cursors cursors;
    private final AccountApi accounts;

    OrganizationService(Organizations organizations, OrganizationSyncs syncs, OrganizationSchedules schedules,
            Cursors cursors, AccountApi accounts) {
        this.organizations = organizations;
        this.syncs = syncs;
        this.schedules = schedules;
        this.cursors = cursors;
        this.accounts = accounts;
    }

    /** With a fresh ExternalId; the tenant's recurring sync starts with its first organisation. */
    @Transactional
    OrganizationRecord register(String managementAccountId, String name, @Nullable List<String> units,
            @Nullable List<String> excludeAccounts, @Nullable List<String> regions, @Nullable String readerRoleName,
            @Nullable String spokeRoleName) {
        UUID tenant = TenantContext.require();
        distinct("organizationalUnits", units);
        distinct("excludeAccounts", excludeAccounts);
        distinct("regions", regions);
        if (organizations.existsForManagementAccount(tenant, managementAccountId)) {
            throw ApiException.conflict("An organisation read through account " + managementAccountId
                    + " is already registered");
        }
        OrganizationRecord organization = new OrganizationRecord(UUID.randomUUID(), tenant, managementAccountId, name,
                null, units == null ? List.of() : List.copyOf(units),
                excludeAccounts == null ? List.of() : List.copyOf(excludeAccounts),
                regions == null ? null : List.copyOf(regions), ExternalIds.generate(),
                readerRoleName == null ? SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME : readerRoleName,
                spokeRoleName == null ? SpokeRoleTemplate.DEFAULT_ROLE_NAME : spokeRoleName, DbTime.now(), null);
        organizations.insert(organization);
        schedules.ensureTenantSchedule(tenant);
        return organization;
    }

    /** A new name or scope; accounts follow the new scope at the next sync. */
    @Transactional
    OrganizationRecord update(UUID id, @Nullable String name, @Nullable List<String> units,
            @Nullable List<String> excludeAccounts) {
        OrganizationRecord organization = get(id);
        distinct("organizationalUnits", units);
        distinct("excludeAccounts", excludeAccounts);
        organizations.update(id, name != null ? name : organization.name(),
                units != null ? units : organization.organizationalUnits(),
                excludeAccounts != null ? excludeAccounts : organization.excludeAccounts());
        return get(id);
    }

    @Transactional(readOnly = true)
    OrganizationRecord get(UUID id) {
        return organizations.find(TenantContext.require(), id).orElseThrow(() -> ApiException.notFound("Organization"));
    }

    @Transactional(readOnly = true)
    Page<OrganizationRecord> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<OrganizationRecord> rows;
        if (cursor == null) {
            rows = organizations.page(tenant, null, null, limit + 1);
        } else {
            List<String> after = cursors.decode("organizations:" + tenant, cursor, 2);
            rows = organizations.page(tenant, Instant.parse(after.get(0)), UUID.fromString(after.get(1)), limit + 1);
        }
        return Page.of(rows, limit, o -> cursors.encode("organizations:" + tenant,
                List.of(o.createdAt().toString(), o.id().toString())));
    }

    @Transactional
    SyncRecord requestSync(UUID id) {
        return schedules.requestSync(locked(id), SyncRecord.Trigger.MANUAL);
    }

    /**
     * Removes the organisation: it is synced no more (the tenant's recurring sync goes with its last organisation)
     * and its accounts are deactivated, not deleted, so their keys and findings stay. Refused while one of its
     * syncs is queued or running: that sync would register accounts again.
     */
    @Transactional
    void remove(UUID id) {
        OrganizationRecord organization = locked(id);
        syncs.active(organization.id()).ifPresent(sync -> {
            throw ApiException.conflict("Sync " + sync.id() + " of the organisation is " + sync.status()
                    + "; remove the organisation once it has finished");
        });
        organizations.markRemoved(organization.id(), DbTime.now());
        accounts.deactivateOrganizationMembers(organization.id());
        if (organizations.all(organization.tenantId()).isEmpty()) {
            schedules.cancelTenantSchedule(organization.tenantId());
        }
    }

    private OrganizationRecord locked(UUID id) {
        return organizations.lock(TenantContext.require(), id).orElseThrow(() -> ApiException.notFound("Organization"));
    }

    @Transactional(readOnly = true)
    Page<SyncRecord> syncs(UUID id, int limit, @Nullable String cursor) {
        OrganizationRecord organization = get(id);
        String scope = "organization-syncs:" + organization.id();
        List<SyncRecord> rows;
        if (cursor == null) {
            rows = syncs.page(organization.id(), null, null, limit + 1);
        } else {
            List<String> before = cursors.decode(scope, cursor, 2);
            rows = syncs.page(organization.id(), Instant.parse(before.get(0)), UUID.fromString(before.get(1)),
                    limit + 1);
        }
        return Page.of(rows, limit, s -> cursors.encode(scope, List.of(s.createdAt().toString(), s.id().toString())));
    }

    @Transactional(readOnly = true)
    SyncRecord sync(UUID id, UUID syncId) {
        return syncs.find(get(id).id(), syncId).orElseThrow(() -> ApiException.notFound("Sync"));
    }

    private static void distinct(String field, @Nullable List<String> values) {
        if (values != null && new HashSet<>(values).size() != values.size()) {
            throw ApiException.badRequest(field, "must not repeat a value");
        }
    }
}
