package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

/** What other features (scans, verification, the dashboard) read and record of registered accounts. */
@Service
public class AccountApi {

    private final Accounts accounts;
    private final AccountService registrations;

    AccountApi(Accounts accounts, AccountService registrations) {
        this.accounts = accounts;
        this.registrations = registrations;
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
        Account account = accounts.findOwned(TenantContext.require(), accountId)
                .orElseThrow(() -> ApiException.notFound("Account"));
        account.verified(connected, at);
        return account.toRef();
    }
}
