package dev.unusd.hub.scan;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.unusd.hub.scan.TargetResult.TargetError;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scans and scan_targets tables (db/migration/V2). Every method runs in the caller's tenant transaction, so
 * row-level security applies on top of the explicit tenant predicates the indexes need.
 */
@Repository
class Scans {

    private static final int MAX_ERROR_MESSAGE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    Scans(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Target(UUID accountId, String region) {
    }

    /** Serialises scan launches of one tenant until the transaction ends: the check for a running scan is then exact. */
    void lockLaunches(UUID tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('hub.scan-launch:' || ?, 0))")
                .param(tenantId.toString()).query((rs, i) -> 1).list();
    }

    /** The newest QUEUED or RUNNING scan of the tenant that covers one of these accounts. */
    Optional<UUID> activeScanCovering(UUID tenantId, Set<UUID> accountIds) {
        return jdbc.sql("""
                select s.id from scans s
                 where s.tenant_id = ? and s.status in ('QUEUED', 'RUNNING')
                   and exists (select 1 from scan_targets t where t.scan_id = s.id and t.account_id = any(?::uuid[]))
                 order by s.created_at desc, s.id desc
                 limit 1""")
                .params(tenantId, ids(accountIds)).query(UUID.class).optional();
    }

    /** Those of these accounts that a QUEUED or RUNNING scan covers. */
    Set<UUID> busyAccounts(UUID tenantId, Set<UUID> accountIds) {
        return new HashSet<>(jdbc.sql("""
                select distinct t.account_id from scans s join scan_targets t on t.scan_id = s.id
                 where s.tenant_id = ? and s.status in ('QUEUED', 'RUNNING') and t.account_id = any(?::uuid[])""")
                .params(tenantId, ids(accountIds)).query(UUID.class).list());
    }

    void insert(UUID scanId, UUID tenantId, ScanTrigger trigger, List<Target> targets) {
        jdbc.sql("insert into scans (id, tenant_id, trigger, status) values (?, ?, ?, 'QUEUED')")
                .params(scanId, tenantId, trigger.name()).update();
        jdbc.sql("""
                insert into scan_targets (scan_id, tenant_id, account_id, region, status)
                select ?, ?, u.account_id, u.region, 'QUEUED' from unnest(?::uuid[], ?::text[]) as u(account_id, region)""")
                .params(scanId, tenantId, targets.stream().map(t -> t.accountId().toString()).toArray(String[]::new),
                        targets.stream().map(Target::region).toArray(String[]::new))
                .update();
    }

    enum Claim {
        /** The target is RUNNING for this execution: scan it. */
        RUN,
        /** The account already has its quota of regions running: try again shortly. */
        BUSY,
        /** Nothing to do: the target ended already or is gone (its account was removed). */
        DONE
    }

    /** A claim's answer; {@code attempt} is the target's attempt this execution runs when {@code claim} is RUN. */
    record Claimed(Claim claim, int attempt) {
    }

    /**
     * Marks a target RUNNING (one more attempt) unless its AWS account already has {@code regionLimit} other regions
     * running on any instance, for this tenant or any other that registered the same AWS account (V192).
     * A target found RUNNING is a re-run after its instance died. It takes the account's lock,
     * not the scan's: thousands of targets of one scan claimed at once must not queue on one row. Under the lock it is
     * one statement and the commit: the other regions of the account wait on the lock for that long, and on a busy
     * machine each round trip to the database while holding it made them wait longer.
     */
    Claimed claim(TargetTaskData target, int regionLimit) {
        // Keyed by the AWS account: every tenant that registered it claims its regions under the same lock.
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('hub.account-regions:' || aws_account_id, 0))"
                        + " from accounts where id = ?")
                .param(target.accountId()).query((rs, i) -> 1).list();
        // One snapshot, taken after the lock was granted: it counts every claim committed under the lock before.
        Optional<Claimed> claim = jdbc.sql("""
                WITH target AS (
                    SELECT status, attempts FROM scan_targets
                     WHERE scan_id = :scan AND account_id = :account AND region = :region FOR UPDATE
                ), decided AS (
                    SELECT CASE WHEN t.status NOT IN ('QUEUED', 'RUNNING') THEN 'DONE'
                                WHEN (SELECT hub_running_regions(a.aws_account_id, :account, :scan, :region)
                                        FROM accounts a WHERE a.id = :account) >= :limit THEN 'BUSY'
                                ELSE 'RUN' END AS claim,
                           t.attempts + 1 AS attempt
                      FROM target t
                ), marked AS (
                    -- BUSY goes back to QUEUED: a re-run that waits must not hold a slot, or two re-runs could wait on
                    -- each other.
                    UPDATE scan_targets s
                       SET status = CASE d.claim WHEN 'RUN' THEN 'RUNNING' ELSE 'QUEUED' END,
                           attempts = s.attempts + CASE d.claim WHEN 'RUN' THEN 1 ELSE 0 END,
                           started_at = CASE d.claim WHEN 'RUN' THEN now() ELSE s.started_at END,
                           finished_at = CASE d.claim WHEN 'RUN' THEN NULL ELSE s.finished_at END
                      FROM decided d
                     WHERE s.scan_id = :scan AND s.account_id = :account AND s.region = :region AND d.claim <> 'DONE'
                ), started AS (
                    UPDATE scans SET status = 'RUNNING', started_at = coalesce(started_at, now())
                     WHERE id = :scan AND status = 'QUEUED' AND EXISTS (SELECT 1 FROM decided WHERE claim = 'RUN')
                )
                SELECT claim, attempt FROM decided""")
                .param("scan", target.scanId()).param("account", target.accountId())
                .param("region", target.region()).param("limit", regionLimit)
                .query((rs, i) -> new Claimed(Claim.valueOf(rs.getString("claim")), rs.getInt("attempt"))).optional();
        return claim.orElse(new Claimed(Claim.DONE, 0));
    }

    /**
     * Whether the target is still RUNNING on this attempt, holding its row (and its account's, first, in the order an
     * account's removal takes them) until the transaction ends. A run whose instance was taken for dead and whose
     * target another instance claimed again (db-scheduler revives an execution whose heartbeats stopped, while its
     * first run may still go on) has lost it: it must write nothing, or the older of two runs could overwrite the
     * newer's keys and findings, and end the scan while the newer still runs.
     */
    boolean holdsClaim(TargetRef target) {
        if (target.attempt() == null) {
            return true; // not run by a scan's task (tools, tests): no claim to hold
        }
        jdbc.sql("SELECT 1 FROM accounts WHERE id = ? FOR KEY SHARE").param(target.accountId())
                .query(Integer.class).optional();
        return jdbc.sql("""
                SELECT 1 FROM scan_targets
                 WHERE scan_id = ? AND account_id = ? AND region = ? AND status = 'RUNNING' AND attempts = ?
                   FOR SHARE""")
                .params(target.scanId(), target.accountId(), target.region(), target.attempt())
                .query(Integer.class).optional().isPresent();
    }

    /**
     * Records how a RUNNING target ended on this attempt; false when it was not RUNNING (already recorded, or gone) or
     * claimed again since (see {@link #holdsClaim}). Commit it before {@link #finaliseIfDone}: no scan-wide lock is
     * taken, so thousands of targets ending at once do not queue.
     */
    boolean record(TargetTaskData target, int attempt, TargetResult result) {
        TargetError error = result.error();
        return jdbc.sql("""
                update scan_targets
                   set status = ?, keys_scanned = ?, findings_opened = ?, findings_resolved = ?,
                       error_code = ?, error_message = ?, undecided_keys = ?, warnings = ?::jsonb, finished_at = now()
                 where scan_id = ? and account_id = ? and region = ? and status = 'RUNNING' and attempts = ?""")
                .params(result.status().name(), result.keysScanned(), result.findingsOpened(), result.findingsResolved(),
                        error == null ? null : error.code(), error == null ? null : truncate(error.message()),
                        result.undecidedKeys(), JSON.writeValueAsString(result.warnings()),
                        target.scanId(), target.accountId(), target.region(), attempt)
                .update() == 1;
    }

    record Finished(UUID scanId, ScanTrigger trigger, ScanStatus status, Instant startedAt, Instant finishedAt) {
    }

    /**
     * Ends the scan when no target is QUEUED or RUNNING any more, with its status and counts summed from the targets.
     * Called in a transaction of its own after a target's end was committed: of two instances ending the last two
     * targets, the one that commits second then sees both ended, and the update's status condition lets exactly one
     * finalise. An instance dying between the two leaves its task to be revived, whose claim finds the target ended and
     * finalises. Until the last target, one look into the index of unfinished targets answers (the sums are read once,
     * not once per target). It looks next to the target that ended, in that index's order (region, account: V140):
     * first the targets after it, then those before it, nearest first. Entries of targets that ended stay in the index
     * until VACUUM (two versions each), and while a transaction older than them runs (a backup, a report) every probe
     * visits their rows: from the start of the scan's range, as this asked before, a probe stepped over every region
     * that had ended, for every target. Next to the target, whether work went account by account or region by region,
     * the nearest unfinished one is a few entries away until the scan's last targets. The target itself has ended (or
     * is gone) whenever this is asked, so its own entry is left out. Asked in index order, not as EXISTS: with statistics taken while a scan was
     * mostly unfinished, the planner answered EXISTS with a sequential scan and the primary key's order with the
     * primary key, both reading the finished targets; no other index gives this order.
     */
    Optional<Finished> finaliseIfDone(TargetTaskData target) {
        UUID scanId = target.scanId();
        boolean unfinished = jdbc.sql("""
                (select 1 from scan_targets where scan_id = ? and status in ('QUEUED', 'RUNNING')
                    and (region, account_id) > (?, ?) order by region, account_id limit 1)
                union all
                (select 1 from scan_targets where scan_id = ? and status in ('QUEUED', 'RUNNING')
                    and (region, account_id) < (?, ?) order by region desc, account_id desc limit 1)
                limit 1""")
                .params(scanId, target.region(), target.accountId(), scanId, target.region(), target.accountId())
                .query(Integer.class).optional().isPresent();
        return unfinished ? Optional.empty() : finalise(scanId);
    }

    /**
     * Ends every QUEUED or RUNNING scan of the tenant that has no unfinished target left: after an account's removal,
     * whose targets went with it (ON DELETE CASCADE), a scan may have waited on them alone, and no target of the
     * account records an end any more. Which scans covered the account is unknown once its rows are gone; a tenant
     * has few active scans (index scans_active), each asked once of the index of unfinished targets: in its order, for
     * the reason {@link #finaliseIfDone} gives (a subquery's order is kept in a lateral join, not in NOT EXISTS).
     */
    List<Finished> finaliseEnded(UUID tenantId) {
        return jdbc.sql("""
                select s.id from scans s
                  left join lateral (select 1 as open from scan_targets t
                                      where t.scan_id = s.id and t.status in ('QUEUED', 'RUNNING')
                                      order by t.region, t.account_id limit 1) u on true
                 where s.tenant_id = ? and s.status in ('QUEUED', 'RUNNING') and u.open is null
                 order by s.created_at, s.id""")
                .param(tenantId).query(UUID.class).list().stream()
                .flatMap(scanId -> finalise(scanId).stream())
                .toList();
    }

    /** The update's status condition lets exactly one of those that saw the scan's last target end finalise it. */
    private Optional<Finished> finalise(UUID scanId) {
        return jdbc.sql("""
                update scans s
                   set status = case when agg.failed = 0 then 'SUCCEEDED' when agg.succeeded = 0 then 'FAILED' else 'PARTIAL' end,
                       started_at = coalesce(s.started_at, now()), finished_at = now(),
                       keys_scanned = agg.keys, findings_opened = agg.opened, findings_resolved = agg.resolved
                  from (select count(*) filter (where status = 'FAILED') as failed,
                               count(*) filter (where status = 'SUCCEEDED') as succeeded,
                               count(*) filter (where status in ('QUEUED', 'RUNNING')) as unfinished,
                               coalesce(sum(keys_scanned), 0) as keys, coalesce(sum(findings_opened), 0) as opened,
                               coalesce(sum(findings_resolved), 0) as resolved
                          from scan_targets where scan_id = ?) agg
                 where s.id = ? and s.status in ('QUEUED', 'RUNNING') and agg.unfinished = 0
                returning s.id, s.trigger, s.status, s.started_at, s.finished_at""")
                .params(scanId, scanId)
                .query((rs, i) -> new Finished(rs.getObject("id", UUID.class), ScanTrigger.valueOf(rs.getString("trigger")),
                        ScanStatus.valueOf(rs.getString("status")), instant(rs, "started_at"), instant(rs, "finished_at")))
                .optional()
                .map(finished -> {
                    recordTotals(finished.scanId());
                    return finished;
                });
    }

    /**
     * The tenant's totals as this scan left them, for the dashboard's trends; the same sums as the summary's (keys
     * still in AWS, OPEN findings, savings from OPEN KEY_UNUSED findings). In the finalising transaction, so a scan
     * has its totals exactly when it has ended.
     */
    private void recordTotals(UUID scanId) {
        jdbc.sql("""
                insert into scan_totals (scan_id, tenant_id, finished_at, monthly_cost_usd, potential_monthly_savings_usd,
                                         open_findings, cost_unknown_keys)
                select s.id, s.tenant_id, s.finished_at, k.cost, f.savings, f.open, k.unknown
                  from scans s,
                       lateral (select coalesce(sum(monthly_cost_usd), 0) as cost,
                                       count(*) filter (where monthly_cost_usd is null) as unknown
                                  from kms_keys where tenant_id = s.tenant_id and removed_at is null) k,
                       lateral (select count(*) as open,
                                       coalesce(sum(monthly_cost_usd) filter (where type = 'KEY_UNUSED'), 0) as savings
                                  from findings where tenant_id = s.tenant_id and status = 'OPEN') f
                 where s.id = ?
                on conflict (scan_id) do nothing""")
                .param(scanId)
                .update();
    }

    // Reads for the API.

    record ScanRow(UUID id, ScanTrigger trigger, ScanStatus status, Instant createdAt, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, int keys, int findingsOpened, int findingsResolved) {
    }

    record TargetRow(UUID scanId, UUID accountId, String awsAccountId, String region, TargetStatus status,
            int keysScanned, int findingsOpened, int findingsResolved, @Nullable TargetError error, int undecidedKeys,
            List<TargetWarning> warnings) {
    }

    Optional<ScanRow> find(UUID tenantId, UUID scanId) {
        return jdbc.sql("select * from scans where tenant_id = ? and id = ?").params(tenantId, scanId)
                .query(Scans::scanRow).optional();
    }

    /** Newest first: a page after (createdAt, id), or the first page. */
    List<ScanRow> page(UUID tenantId, @Nullable Instant afterCreated, @Nullable UUID afterId, int rows) {
        if (afterCreated == null) {
            return jdbc.sql("select * from scans where tenant_id = ? order by created_at desc, id desc limit ?")
                    .params(tenantId, rows).query(Scans::scanRow).list();
        }
        return jdbc.sql("""
                select * from scans where tenant_id = ? and (created_at, id) < (?, ?)
                 order by created_at desc, id desc limit ?""")
                .params(tenantId, Timestamp.from(afterCreated), afterId, rows).query(Scans::scanRow).list();
    }

    /**
     * Per scan: its targets, those ended, what the ended ones counted, their undecided keys and how many warnings they
     * gave; for lists, without a row per target.
     */
    record TargetTotals(int total, int done, int keysScanned, int findingsOpened, int findingsResolved,
            int undecidedKeys, int warnings) {

        static final TargetTotals NONE = new TargetTotals(0, 0, 0, 0, 0, 0, 0);
    }

    Map<UUID, TargetTotals> targetTotals(UUID tenantId, Set<UUID> scanIds) {
        if (scanIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, TargetTotals> totals = new java.util.HashMap<>();
        jdbc.sql("""
                select scan_id, count(*) as total, count(*) filter (where status not in ('QUEUED', 'RUNNING')) as done,
                       coalesce(sum(keys_scanned), 0) as keys_scanned, coalesce(sum(findings_opened), 0) as opened,
                       coalesce(sum(findings_resolved), 0) as resolved, coalesce(sum(undecided_keys), 0) as undecided,
                       coalesce(sum(jsonb_array_length(warnings)), 0) as warnings
                  from scan_targets where tenant_id = ? and scan_id = any(?::uuid[]) group by scan_id""")
                .params(tenantId, ids(scanIds))
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> totals.put(
                        rs.getObject("scan_id", UUID.class), new TargetTotals(rs.getInt("total"), rs.getInt("done"),
                                rs.getInt("keys_scanned"), rs.getInt("opened"), rs.getInt("resolved"),
                                rs.getInt("undecided"), rs.getInt("warnings"))));
        return totals;
    }

    /** The targets of these scans, each scan's in account and region order. */
    Map<UUID, List<TargetRow>> targets(UUID tenantId, Set<UUID> scanIds) {
        if (scanIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                select t.*, a.aws_account_id from scan_targets t join accounts a on a.id = t.account_id
                 where t.tenant_id = ? and t.scan_id = any(?::uuid[])
                 order by a.aws_account_id, t.region""")
                .params(tenantId, ids(scanIds))
                .query(Scans::targetRow).list().stream()
                .collect(Collectors.groupingBy(TargetRow::scanId, java.util.LinkedHashMap::new, Collectors.toList()));
    }

    /**
     * At most {@code perScan} targets of each of these scans: the FAILED ones first, then in account and region order.
     * The database picks them scan by scan (a top-N sort), so the hub holds no more of an organisation's 17,000.
     */
    Map<UUID, List<TargetRow>> firstTargets(UUID tenantId, Set<UUID> scanIds, int perScan) {
        if (scanIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                select f.* from unnest(?::uuid[]) as s(id)
                 cross join lateral (
                       select t.*, a.aws_account_id from scan_targets t join accounts a on a.id = t.account_id
                        where t.tenant_id = ? and t.scan_id = s.id
                        order by t.status <> 'FAILED', a.aws_account_id, t.region
                        limit ?) f
                 order by f.scan_id, f.status <> 'FAILED', f.aws_account_id, f.region""")
                .params(ids(scanIds), tenantId, perScan)
                .query(Scans::targetRow).list().stream()
                .collect(Collectors.groupingBy(TargetRow::scanId, java.util.LinkedHashMap::new, Collectors.toList()));
    }

    /** A warning of one target of a scan. */
    record WarningRow(UUID scanId, UUID accountId, String awsAccountId, String region, TargetWarning warning) {
    }

    /** At most {@code perScan} warnings of each of these scans, in account and region order, each target's in its own. */
    Map<UUID, List<WarningRow>> firstWarnings(UUID tenantId, Set<UUID> scanIds, int perScan) {
        if (scanIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                select f.* from unnest(?::uuid[]) as s(id)
                 cross join lateral (
                       select t.scan_id, t.account_id, a.aws_account_id, t.region, w.warning, w.n
                         from scan_targets t join accounts a on a.id = t.account_id
                        cross join lateral jsonb_array_elements(t.warnings) with ordinality as w(warning, n)
                        where t.tenant_id = ? and t.scan_id = s.id and t.warnings <> '[]'::jsonb
                        order by a.aws_account_id, t.region, w.n
                        limit ?) f
                 order by f.scan_id, f.aws_account_id, f.region, f.n""")
                .params(ids(scanIds), tenantId, perScan)
                .query((rs, i) -> new WarningRow(rs.getObject("scan_id", UUID.class),
                        rs.getObject("account_id", UUID.class), rs.getString("aws_account_id"), rs.getString("region"),
                        JSON.readValue(rs.getString("warning"), TargetWarning.class)))
                .list().stream()
                .collect(Collectors.groupingBy(WarningRow::scanId, java.util.LinkedHashMap::new, Collectors.toList()));
    }

    private static TargetRow targetRow(ResultSet rs, int i) throws SQLException {
        return new TargetRow(rs.getObject("scan_id", UUID.class), rs.getObject("account_id", UUID.class),
                rs.getString("aws_account_id"), rs.getString("region"), TargetStatus.valueOf(rs.getString("status")),
                rs.getInt("keys_scanned"), rs.getInt("findings_opened"), rs.getInt("findings_resolved"),
                rs.getString("error_code") == null ? null
                        : new TargetError(rs.getString("error_code"), rs.getString("error_message")),
                rs.getInt("undecided_keys"), warnings(rs.getString("warnings")));
    }

    private static List<TargetWarning> warnings(String json) {
        return List.of(JSON.readValue(json, TargetWarning[].class));
    }

    private static ScanRow scanRow(ResultSet rs, int i) throws SQLException {
        return new ScanRow(rs.getObject("id", UUID.class), ScanTrigger.valueOf(rs.getString("trigger")),
                ScanStatus.valueOf(rs.getString("status")), instant(rs, "created_at"), nullableInstant(rs, "started_at"),
                nullableInstant(rs, "finished_at"), rs.getInt("keys_scanned"), rs.getInt("findings_opened"),
                rs.getInt("findings_resolved"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String[] ids(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static @Nullable String truncate(@Nullable String message) {
        return message == null || message.length() <= MAX_ERROR_MESSAGE ? message : message.substring(0, MAX_ERROR_MESSAGE);
    }
}
