package dev.unusd.hub.finding;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.unusd.hub.account.AccountDeactivated;
import dev.unusd.hub.account.AccountReactivated;
import dev.unusd.hub.account.AccountRegionsChanged;
import dev.unusd.hub.account.AccountRenamed;
import dev.unusd.hub.db.TenantContext;

import tools.jackson.databind.json.JsonMapper;

/**
 * Pages of findings as JSON bodies, kept per tenant under the version of its findings. Every browser of a
 * dashboard polls the same few pages, while a tenant's findings change only when a scan target is reconciled or ends
 * otherwise than the last one of its region (their unverified mark), a suppression mutes some, or an account is removed,
 * deactivated, reactivated, renamed or given other regions. Each such transaction
 * raises {@code tenants.findings_version} as its last write (recording the account it changed under the new
 * version), so the change and the new version commit together; authentication reads the version before the request
 * reads anything else, so a page is served from here only while a fresh read would return the same items.
 * Bounded by bytes (least recently used first out) and by age, a backstop should a change ever fail to raise the
 * version. With several hub instances each keeps its own pages; the version is shared.
 */
@Component
class FindingPages {

    private static final Logger log = LoggerFactory.getLogger(FindingPages.class);

    private final FindingQueries queries;
    private final JsonMapper json;
    private final JdbcClient jdbc;
    private final long maxBytes;
    private final long maxAgeNanos;

    /** Access-ordered, so iteration starts at the least recently used page. Guarded by {@code this}. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    FindingPages(FindingQueries queries, JsonMapper json, JdbcClient jdbc,
            @Value("${hub.api.findings-cache-size:64MB}") DataSize maxSize,
            @Value("${hub.api.findings-cache-max-age:5m}") Duration maxAge) {
        this.queries = queries;
        this.json = json;
        this.jdbc = jdbc;
        this.maxBytes = maxSize.toBytes();
        this.maxAgeNanos = maxAge.toNanos();
    }

    private record Key(UUID tenant, String request) {
    }

    private record Entry(long version, byte[] body, long renderedAt) {
    }

    /** The page as a JSON body; {@code version} is the tenant's findings version from authentication, if known. */
    byte[] page(OptionalLong version, FindingQueries.Filter filter, FindingQueries.Sort sort, int limit,
            @Nullable String cursor) {
        if (version.isEmpty() || maxBytes == 0) {
            return render(filter, sort, limit, cursor);
        }
        Key key = new Key(TenantContext.require(),
                filter.canonical() + "&sort=" + sort.name + "&limit=" + limit + "&cursor=" + cursor);
        Entry cached = get(key);
        if (cached != null && cached.version() == version.getAsLong()
                && System.nanoTime() - cached.renderedAt() < maxAgeNanos) {
            return cached.body();
        }
        long renderedAt = System.nanoTime();
        byte[] body = render(filter, sort, limit, cursor);
        put(key, new Entry(version.getAsLong(), body, renderedAt));
        return body;
    }

    private byte[] render(FindingQueries.Filter filter, FindingQueries.Sort sort, int limit, @Nullable String cursor) {
        return json.writeValueAsBytes(queries.page(filter, sort, limit, cursor));
    }

    private synchronized @Nullable Entry get(Key key) {
        return entries.get(key);
    }

    private synchronized void put(Key key, Entry entry) {
        if (entry.body().length > maxBytes / 4) {
            return; // a few huge pages must not push out everything else
        }
        Entry previous = entries.get(key);
        if (previous != null && previous.version() > entry.version()) {
            return; // rendered under an older version while a newer page was stored
        }
        previous = entries.put(key, entry);
        bytes += entry.body().length - (previous == null ? 0 : previous.body().length);
        Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    /**
     * In the transaction that changed the findings, as its last write: the row lock on the tenant is held only
     * until that commit, and no second connection is needed (a scan runs dozens of targets on a bounded pool).
     */
    @EventListener
    void findingsChanged(FindingsChanged event) {
        raiseVersion(event.tenantId(), event.accountId());
    }

    /** Removing an account deletes its findings; disabling one marks them unverified. */
    @EventListener
    void accountDeactivated(AccountDeactivated event) {
        raiseVersion(event.tenantId(), event.accountId());
    }

    /** The findings of a region taken out are marked unverified. */
    @EventListener
    void accountRegionsChanged(AccountRegionsChanged event) {
        raiseVersion(event.tenantId(), event.accountId());
    }

    /** Its findings lose their accountDeactivated mark (and keep their unverified one until a scan). */
    @EventListener
    void accountReactivated(AccountReactivated event) {
        raiseVersion(event.tenantId(), event.accountId());
    }

    /** Every finding of the account carries its name. */
    @EventListener
    void accountRenamed(AccountRenamed event) {
        raiseVersion(event.tenantId(), event.accountId());
    }

    /**
     * Raises the tenant's version and records it as the one at which the account changed, so a summary of an older
     * version recomputes that account (account_findings_versions). Both rows are written under the tenant's row
     * lock, taken first, so raises of a tenant never wait on each other in two orders.
     */
    private void raiseVersion(UUID tenant, UUID account) {
        boolean raised = jdbc.sql("""
                WITH raised AS (
                    UPDATE tenants SET findings_version = findings_version + 1 WHERE id = :tenant
                    RETURNING findings_version
                )
                INSERT INTO account_findings_versions AS v (tenant_id, account_id, version)
                SELECT :tenant, :account, findings_version FROM raised
                ON CONFLICT (tenant_id, account_id) DO UPDATE SET version = excluded.version
                RETURNING v.version""")
                .param("tenant", tenant).param("account", account)
                .query(Long.class).optional().isPresent();
        if (!raised) {
            // Only outside the tenant's context; cached pages then expire after max-age at the latest.
            log.warn("Findings version of tenant {} not raised: not in its context", tenant);
        }
    }
}
