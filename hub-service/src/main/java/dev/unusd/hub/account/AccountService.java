package dev.unusd.hub.account;

import dev.unusd.hub.db.DbTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.tenant.TenantApi;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;
import dev.unusd.spokerole.SpokeRoleTemplate;

/** Registering, changing and removing the tenant's AWS accounts. */
@Service
class AccountService {

    static final String DEFAULT_ROLE_NAME = SpokeRoleTemplate.DEFAULT_ROLE_NAME;

    private final Accounts accounts;
    private final TenantApi tenants;
    private final Cursors cursors;
    private final ApplicationEventPublisher events;

    AccountService(Accounts accounts, TenantApi tenants, Cursors cursors, ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.tenants = tenants;
        this.cursors = cursors;
        this.events = events;
    }

    /** Registers an account with a fresh ExternalId; regions default to the tenant's default regions. */
    @Transactional
    AccountRef register(String awsAccountId, String name, @Nullable List<String> regions, @Nullable String roleName) {
        UUID tenant = TenantContext.require();
        List<String> chosen = regions == null ? tenants.settingsOf(tenant).defaultRegions() : distinct(regions);
        if (accounts.existsByTenantIdAndAwsAccountId(tenant, awsAccountId)) {
            throw ApiException.conflict("AWS account " + awsAccountId + " is already registered");
        }
        Account account = new Account(UUID.randomUUID(), tenant, awsAccountId, name, chosen, regions == null,
                roleName == null ? DEFAULT_ROLE_NAME : roleName, ExternalIds.generate(), DbTime.now());
        return accounts.saveAndFlush(account).toRef();
    }

    @Transactional(readOnly = true)
    Page<AccountRef> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<Account> rows;
        if (cursor == null) {
            rows = accounts.first(tenant, Limit.of(limit + 1));
        } else {
            List<String> after = cursors.decode(scope(tenant), cursor, 2);
            rows = accounts.after(tenant, Instant.parse(after.get(0)), UUID.fromString(after.get(1)), Limit.of(limit + 1));
        }
        return Page.of(rows.stream().map(Account::toRef).toList(), limit,
                a -> cursors.encode(scope(tenant), List.of(a.createdAt().toString(), a.id().toString())));
    }

    @Transactional(readOnly = true)
    AccountRef get(UUID id) {
        return owned(id).toRef();
    }

    @Transactional
    AccountRef update(UUID id, @Nullable String name, @Nullable List<String> regions, @Nullable Boolean enabled) {
        Account account = accounts.lockOwned(TenantContext.require(), id)
                .orElseThrow(() -> ApiException.notFound("Account"));
        Instant now = DbTime.now();
        boolean renamed = name != null && !name.equals(account.toRef().name());
        if (renamed) {
            account.rename(name, now);
        }
        boolean regionsChanged = regions != null && account.changeRegions(distinct(regions), now);
        // Only a change raises the findings version (each raise re-renders the tenant's cached pages).
        boolean enabledChanged = enabled != null && account.enable(enabled, now);
        if (renamed || regionsChanged || enabledChanged) {
            accounts.flush(); // the change first: the listeners' write (the findings version) is the last, as on removal
        }
        UUID tenant = account.toRef().tenantId();
        if (enabledChanged) {
            // Enabling clears a sync's deactivation; either way the findings' marks change.
            events.publishEvent(enabled ? new AccountReactivated(tenant, id) : new AccountDeactivated(tenant, id));
        }
        if (regionsChanged) {
            events.publishEvent(new AccountRegionsChanged(tenant, id));
        }
        if (renamed) {
            events.publishEvent(new AccountRenamed(tenant, id));
        }
        return account.toRef();
    }

    @Transactional
    void remove(UUID id) {
        Account account = owned(id);
        accounts.delete(account);
        // The delete (and what cascades from it) runs now, before listeners write: a listener's write is then
        // the transaction's last, and its locks are held only until the commit.
        accounts.flush();
        events.publishEvent(new AccountRemoved(account.toRef().tenantId(), id));
        events.publishEvent(new AccountDeactivated(account.toRef().tenantId(), id));
    }

    private Account owned(UUID id) {
        return accounts.findOwned(TenantContext.require(), id).orElseThrow(() -> ApiException.notFound("Account"));
    }

    private static List<String> distinct(List<String> regions) {
        if (new HashSet<>(regions).size() != regions.size()) {
            throw ApiException.badRequest("regions", "must not repeat a region");
        }
        return List.copyOf(regions);
    }

    private static String scope(UUID tenant) {
        return "accounts:" + tenant;
    }
}
