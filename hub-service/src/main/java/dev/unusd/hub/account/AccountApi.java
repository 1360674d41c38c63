package dev.unusd.hub.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.web.ApiException;

/** What other features (scans, verification, the dashboard) read and record of registered accounts. */
@Service
public class AccountApi {

    private final Accounts accounts;

    AccountApi(Accounts accounts) {
        this.accounts = accounts;
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

    /** Records the outcome of a verification of the spoke role. */
    @Transactional
    public AccountRef recordVerification(UUID accountId, boolean connected, Instant at) {
        Account account = accounts.findOwned(TenantContext.require(), accountId)
                .orElseThrow(() -> ApiException.notFound("Account"));
        account.verified(connected, at);
        return account.toRef();
    }
}
