package dev.unusd.hub.account;

import java.time.Instant;
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
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.hub.web.ApiException;

/** What other features (scans, verification, the dashboard) read and record of registered accounts. */
@Service
public class AccountApi {

    private final Accounts accounts;
    private final AccountRows rows;
    private final AccountService registrations;
    private final TenantApi tenants;
    private final ApplicationEventPublisher events;

    AccountApi(Accounts accounts, AccountRows rows, AccountService registrations, TenantApi tenants,
            ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.rows = rows;
        this.registrations = registrations;
        this.tenants = tenants;
        this.events = events;
    }

    /**
     * What one sync of an organisation changed. {@code toVerify}: accounts added or reactivated, and those in scope
     * whose last verification did not connect. {@code skipped}: in scope, but registered by hand or by another
     * organisation, so left as they are (AWS account id and why).
     */
    public record MembershipChanges(List<AccountRef> added, List<AccountRef> reactivated, List<AccountRef> removed,
            int unchanged, List<AccountRef> toVerify, Map<String, String> skipped) {
    }

    /**
     * Brings the tenant's accounts in line with one sync of an organisation, in one transaction: registers the members
     * in scope that are new, updates the name (publishing {@link AccountRenamed} when it changes), OU path and tags
     * of those it has, reactivates those a sync had deactivated, and deactivates (never deletes) those it registered
     * that are out of scope now, for the reason given ({@code LEFT_ORGANIZATION} when the account is not in the
     * organisation at all). Accounts the tenant disabled itself stay disabled.
     */
    @Transactional
    public MembershipChanges syncOrganizationMembers(UUID organizationId, @Nullable List<String> regions,
            List<OrganizationMember> inScope, Map<String, Deactivation> outOfScope) {
        return syncOrganizationMembers(organizationId, regions, inScope, outOfScope, Set.of());
    }

    /**
     * As above; an account in scope that one of {@code removedOrganizations} registered is taken over (with this
     * organisation's ExternalId) and counted as reactivated.
     */
    @Transactional
    public MembershipChanges syncOrganizationMembers(UUID organizationId, @Nullable List<String> regions,
            List<OrganizationMember> inScope, Map<String, Deactivation> outOfScope, Set<UUID> removedOrganizations) {
        return syncOrganizationMembers(organizationId, regions, inScope, outOfScope, removedOrganizations, Set.of());
    }

    /**
     * As above; the accounts of {@code unplaced} (AWS account ids), members the sync could not place, are left as
     * they are rather than deactivated as having left the organisation.
     */
    @Transactional
    public MembershipChanges syncOrganizationMembers(UUID organizationId, @Nullable List<String> regions,
            List<OrganizationMember> inScope, Map<String, Deactivation> outOfScope, Set<UUID> removedOrganizations,
            Set<String> unplaced) {
        UUID tenant = TenantContext.require();
        Instant now = DbTime.now();
        Map<String, Account> byAwsId = new HashMap<>();
        // Every account, not only the organisation's: any of them may be taken over or found registered separately.
        accounts.lockAll(tenant).forEach(a -> byAwsId.put(a.awsAccountId(), a));
        List<String> chosen = regions != null ? regions : tenants.settingsOf(tenant).defaultRegions();
        List<AccountRef> added = new ArrayList<>();
        List<AccountRef> reactivated = new ArrayList<>();
        List<AccountRef> removed = new ArrayList<>();
        List<AccountRef> toVerify = new ArrayList<>();
        Map<String, String> skipped = new java.util.TreeMap<>();
        List<UUID> renamed = new ArrayList<>();
        int unchanged = 0;
        Set<String> seen = new HashSet<>();
        for (OrganizationMember member : inScope) {
            seen.add(member.awsAccountId());
            Account existing = byAwsId.get(member.awsAccountId());
            boolean newName = existing != null && !member.name().equals(existing.name());
            if (existing == null) {
                Account account = accounts.save(Account.member(UUID.randomUUID(), tenant, member, chosen,
                        regions == null, now));
                added.add(account.toRef());
                toVerify.add(account.toRef());
            } else if (existing.organizationId() != null && removedOrganizations.contains(existing.organizationId())) {
                if (newName) {
                    renamed.add(existing.toRef().id());
                }
                if (existing.adopt(member, now)) {
                    reactivated.add(existing.toRef());
                    toVerify.add(existing.toRef());
                    events.publishEvent(new AccountReactivated(tenant, existing.toRef().id()));
                } else {
                    unchanged++;
                }
            } else if (!organizationId.equals(existing.organizationId())) {
                skipped.put(member.awsAccountId(), existing.organizationId() == null
                        ? "registered by hand (POST /api/v1/accounts) with an ExternalId of its own: left as it is"
                        : "registered by another organisation of this tenant: left as it is");
            } else {
                if (newName) {
                    renamed.add(existing.toRef().id());
                }
                existing.placed(member, now);
                if (existing.deactivatedReason() != null) {
                    existing.reactivate(now);
                    reactivated.add(existing.toRef());
                    toVerify.add(existing.toRef());
                    events.publishEvent(new AccountReactivated(tenant, existing.toRef().id()));
                } else {
                    unchanged++;
                    AccountRef ref = existing.toRef();
                    if (ref.enabled() && ref.status() != AccountStatus.CONNECTED) {
                        toVerify.add(ref);
                    }
                }
            }
        }
        for (Account account : byAwsId.values()) {
            if (!organizationId.equals(account.organizationId()) || seen.contains(account.awsAccountId())
                    || unplaced.contains(account.awsAccountId())) {
                continue;
            }
            Deactivation reason = outOfScope.getOrDefault(account.awsAccountId(), Deactivation.LEFT_ORGANIZATION);
            if (account.enabled()) {
                account.deactivate(reason, now);
                removed.add(account.toRef());
                events.publishEvent(new AccountDeactivated(tenant, account.toRef().id()));
            } else if (account.deactivatedReason() != null && account.deactivatedReason() != reason) {
                account.deactivate(reason, now);
                events.publishEvent(new AccountDeactivated(tenant, account.toRef().id())); // its findings' mark changed
            }
        }
        accounts.flush();
        // As a PATCH does, after the new names are written: every finding of the account carries its name.
        renamed.forEach(id -> events.publishEvent(new AccountRenamed(tenant, id)));
        return new MembershipChanges(added, reactivated, removed, unchanged, toVerify, skipped);
    }

    /**
     * The organisation is removed: every account it registered that is still enabled is deactivated with
     * {@code ORGANIZATION_REMOVED} (deactivated ones keep their reason), never deleted.
     */
    @Transactional
    public void deactivateOrganizationMembers(UUID organizationId) {
        UUID tenant = TenantContext.require();
        Instant now = DbTime.now();
        for (Account account : accounts.lockAll(tenant)) {
            if (organizationId.equals(account.organizationId()) && account.enabled()) {
                account.deactivate(Deactivation.ORGANIZATION_REMOVED, now);
                events.publishEvent(new AccountDeactivated(tenant, account.toRef().id()));
            }
        }
        accounts.flush();
    }

    /** The accounts an organisation registered, enabled or not. */
    @Transactional(readOnly = true)
    public List<AccountRef> ofOrganization(UUID organizationId) {
        return accounts.findByTenantId(TenantContext.require()).stream()
                .filter(a -> organizationId.equals(a.organizationId())).map(Account::toRef).toList();
    }

    /**
     * Registers an account for the tenant in context, with a hub-issued ExternalId and the default role name; without
     * regions it gets the tenant's default regions.
     */
    public AccountRef register(String awsAccountId, String name, @Nullable List<String> regions) {
        return registrations.register(awsAccountId, name, regions, null);
    }

    /** An account of the tenant in context. */
    @Transactional(readOnly = true)
    public Optional<AccountRef> find(UUID accountId) {
        return accounts.findOwned(TenantContext.require(), accountId).map(Account::toRef);
    }

    /**
     * An account of the tenant in context as the database has it, read with SQL past the persistence context, so
     * changes to accounts not yet flushed in the caller's transaction are not seen: for callers that change none, as
     * every scan target, which reads its account once.
     */
    @Transactional(readOnly = true)
    public Optional<AccountRef> findStored(UUID accountId) {
        return rows.find(TenantContext.require(), accountId);
    }

    /** An account of the tenant in context, or 404. Transactional itself: calling find() inside skips the proxy. */
    @Transactional(readOnly = true)
    public AccountRef require(UUID accountId) {
        return find(accountId).orElseThrow(() -> ApiException.notFound("Account"));
    }

    /** The tenant's accounts that scans cover, whatever their last verification said. */
    @Transactional(readOnly = true)
    public List<AccountRef> enabledAccounts() {
        return accounts.enabled(TenantContext.require()).stream().map(Account::toRef).toList();
    }

    /** The AWS account ids of every account the tenant in context registered, enabled or not: its own accounts. */
    @Transactional(readOnly = true)
    public Set<String> registeredAwsAccountIds() {
        return Set.copyOf(accounts.awsAccountIds(TenantContext.require()));
    }

    /** An account of the tenant in context by its AWS account id. */
    @Transactional(readOnly = true)
    public Optional<AccountRef> findByAwsAccountId(String awsAccountId) {
        return accounts.findByTenantIdAndAwsAccountId(TenantContext.require(), awsAccountId).map(Account::toRef);
    }

    /** Records the outcome of a verification of the spoke role. */
    @Transactional
    public AccountRef recordVerification(UUID accountId, boolean connected, Instant at) {
        Account account = accounts.lockOwned(TenantContext.require(), accountId)
                .orElseThrow(() -> ApiException.notFound("Account"));
        account.verified(connected, at);
        return account.toRef();
    }
}
