package dev.unusd.hub.scan;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.kms.Unverified;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the hub sees of each region of an account: whether its scans cover the region, how the latest target that said
 * something about it ended, the unverified mark its keys and findings carry, and what is stored for it. The regions are
 * those the account's scans cover (every commercial region when it lists none), those a target ever ended in, and
 * those holding keys, so a region the hub stopped seeing is listed, not left out.
 */
@Service
class AccountRegions {

    private final JdbcClient jdbc;
    private final AccountApi accounts;

    AccountRegions(JdbcClient jdbc, AccountApi accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    enum Coverage {
        /** The latest target of the region succeeded, and nothing since casts doubt on it. */
        VERIFIED,
        /** What is stored for the region is as its last successful scan left it: see {@code unverified}. */
        UNVERIFIED,
        /** The latest target found the region not enabled, and no key of it is stored: there is nothing to doubt. */
        NOT_ENABLED,
        /** In the account's scans, and no target of it has ended yet. */
        NOT_SCANNED_YET
    }

    @Schema(name = "LastRegionScan")
    record LastScan(TargetStatus status, @Nullable String errorCode, Instant finishedAt) {
    }

    @Schema(name = "AccountRegion")
    record RegionView(String region,
            @Schema(description = "Whether the account's scans cover the region now") boolean inScans,
            Coverage coverage,
            @Schema(description = "Why no recent scan vouches for the region's keys and findings; null unless coverage"
                    + " is UNVERIFIED") @Nullable Unverified unverified,
            @Schema(description = "The latest target of the region that said something about it; null if none ended")
            @Nullable LastScan lastScan,
            @Schema(description = "When a target of the region last succeeded") @Nullable Instant lastSucceededAt,
            @Schema(description = "Keys stored for the region, those AWS no longer lists left out") long keys,
            @Schema(description = "OPEN findings of the region's keys") long openFindings) {
    }

    record AccountRegionsView(UUID accountId, String awsAccountId, String name, boolean everyRegion, List<RegionView> items) {
    }

    /** The account's regions in name order; 404 when the account is not the tenant's. */
    @Transactional(readOnly = true)
    AccountRegionsView of(UUID accountId) {
        AccountRef account = accounts.require(accountId);
        List<RegionView> items = jdbc.sql("""
                WITH account AS (
                    SELECT id, enabled, regions, last_disabled_at, regions_removed_at FROM accounts WHERE id = :account
                ), known AS (
                    SELECT unnest(CAST(:covered AS text[])) AS region
                    UNION SELECT region FROM region_coverage WHERE account_id = :account
                    UNION SELECT region FROM kms_keys WHERE account_id = :account AND removed_at IS NULL
                ), keys AS (
                    SELECT region, count(*) AS keys FROM kms_keys
                     WHERE account_id = :account AND removed_at IS NULL GROUP BY region
                ), open AS (
                    SELECT region, count(*) AS findings FROM findings
                     WHERE account_id = :account AND status = 'OPEN' GROUP BY region
                )
                SELECT r.region, r.region = ANY (CAST(:covered AS text[])) AS in_scans,
                       hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at, r.region,
                                             c.status, c.error_code, c.finished_at) AS unverified_reason,
                       c.status, c.error_code, c.finished_at, c.last_succeeded_at,
                       coalesce(k.keys, 0) AS keys, coalesce(o.findings, 0) AS open_findings
                  FROM account a
                 CROSS JOIN known r
                  LEFT JOIN region_coverage c ON c.account_id = a.id AND c.region = r.region
                  LEFT JOIN keys k ON k.region = r.region
                  LEFT JOIN open o ON o.region = r.region
                 ORDER BY r.region""")
                .param("account", accountId)
                .param("covered", account.coveredRegions().toArray(String[]::new))
                .query((rs, n) -> {
                    String reason = rs.getString("unverified_reason");
                    String status = rs.getString("status");
                    long keys = rs.getLong("keys");
                    Instant succeeded = instant(rs.getObject("last_succeeded_at", OffsetDateTime.class));
                    // A region not enabled holds no usable key: with none stored, there is nothing a scan could vouch for.
                    boolean nothingToDoubt = "REGION_NOT_ENABLED".equals(reason) && keys == 0;
                    Coverage coverage = nothingToDoubt ? Coverage.NOT_ENABLED
                            : reason != null ? Coverage.UNVERIFIED
                            : status == null ? Coverage.NOT_SCANNED_YET : Coverage.VERIFIED;
                    return new RegionView(rs.getString("region"), rs.getBoolean("in_scans"), coverage,
                            reason == null || nothingToDoubt ? null
                                    : new Unverified(Unverified.Reason.valueOf(reason), succeeded),
                            status == null ? null : new LastScan(TargetStatus.valueOf(status), rs.getString("error_code"),
                                    instant(rs.getObject("finished_at", OffsetDateTime.class))),
                            succeeded, keys, rs.getLong("open_findings"));
                })
                .list();
        return new AccountRegionsView(accountId, account.awsAccountId(), account.name(), account.everyRegion(), items);
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
