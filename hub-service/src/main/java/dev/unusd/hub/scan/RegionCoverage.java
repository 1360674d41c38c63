package dev.unusd.hub.scan;

import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.unusd.hub.scan.TargetResult.TargetError;

/**
 * The region_coverage table (db/migration/V190): per account-region, the latest target that said something about the
 * region, from which reads mark its findings and keys unverified. Written in the transaction that records the target's
 * end.
 */
@Repository
class RegionCoverage {

    /**
     * Ends that say nothing about the region: the account had been disabled, or was removed, or the region was taken
     * out of its list (should it come back, its findings are still as old as its last scan that said something).
     */
    private static final Set<String> ABOUT_THE_ACCOUNT = Set.of("ACCOUNT_DISABLED", "ACCOUNT_NOT_FOUND",
            "REGION_REMOVED");

    private final JdbcClient jdbc;

    RegionCoverage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Waits for a change of the account (a PATCH, a sync: they lock its row) to commit, and holds the next until this
     * transaction does: the mark before and after the target's end is then computed from the account pages are
     * rendered with, so no page cached between the two commits keeps a mark the version raise missed. Taken before
     * the target's rows, in the order an account's removal takes them.
     */
    void holdAccount(TargetTaskData target) {
        jdbc.sql("SELECT 1 FROM accounts WHERE id = :account FOR SHARE").param("account", target.accountId())
                .query(Integer.class).optional();
    }

    /**
     * Records how a target of the region ended. Returns whether the unverified mark of the region's findings and keys
     * changed with it (its reason, or while marked, when the region was last verified), so the findings version is
     * raised only then: a rescan that ends as the last one did must not turn every cached page of the tenant stale. A
     * region with no key has nothing to mark.
     */
    boolean record(TargetTaskData target, TargetResult result) {
        TargetError error = result.error();
        if (result.status() == TargetStatus.QUEUED || result.status() == TargetStatus.RUNNING
                || error != null && ABOUT_THE_ACCOUNT.contains(error.code())) {
            return false;
        }
        // The reasons before and after, as reads compute them; the account's own row changes in neither.
        return jdbc.sql("""
                WITH account AS (
                    SELECT enabled, regions, last_disabled_at, regions_removed_at FROM accounts WHERE id = :account
                ), before AS (
                    SELECT hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at,
                                                 :region, c.status, c.error_code, c.finished_at) AS reason,
                           c.last_succeeded_at
                      FROM account a
                      LEFT JOIN region_coverage c ON c.account_id = :account AND c.region = :region
                ), saved AS (
                    INSERT INTO region_coverage AS c (tenant_id, account_id, region, status, error_code, finished_at,
                                                      last_succeeded_at)
                    VALUES (:tenant, :account, :region, :status, :error, now(),
                            CASE WHEN :status = 'SUCCEEDED' THEN now() END)
                    ON CONFLICT (account_id, region) DO UPDATE
                       SET status = excluded.status, error_code = excluded.error_code,
                           finished_at = excluded.finished_at,
                           last_succeeded_at = coalesce(excluded.last_succeeded_at, c.last_succeeded_at)
                    RETURNING c.status, c.error_code, c.finished_at, c.last_succeeded_at
                ), after AS (
                    SELECT hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at,
                                                 :region, s.status, s.error_code, s.finished_at) AS reason,
                           s.last_succeeded_at
                      FROM account a, saved s
                )
                SELECT (b.reason, CASE WHEN b.reason IS NOT NULL THEN b.last_succeeded_at END)
                           IS DISTINCT FROM (f.reason, CASE WHEN f.reason IS NOT NULL THEN f.last_succeeded_at END)
                       AND EXISTS (SELECT 1 FROM kms_keys k WHERE k.account_id = :account AND k.region = :region)
                  FROM before b, after f""")
                .param("tenant", target.tenantId()).param("account", target.accountId())
                .param("region", target.region()).param("status", result.status().name())
                .param("error", error == null ? null : error.code())
                .query(Boolean.class).optional().orElse(false);
    }
}
