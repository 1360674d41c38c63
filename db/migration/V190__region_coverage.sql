-- Whether a recent scan still vouches for an account-region's keys and findings.
--
-- What a scan no longer reaches keeps what its last scan left; reads mark it `unverified` with a reason and the last
-- time a scan of it succeeded. The reason comes from three places, all read by primary key beside each finding or key:
-- the account now (disabled, or the region out of its explicit list), the latest scan target of the account-region that
-- said something about the region (region_coverage, one row per account-region, written with the target's end), and
-- when the account was last disabled or the region last taken out of its list (accounts.last_disabled_at,
-- accounts.regions_removed_at): a change after the latest target ended keeps the mark, after the account is enabled
-- again or the region put back, until a target of it ends. Reads never look at scan_targets, which grows with history.

-- Upgrading a database with years of scan history must not stop the hubs still serving it: the history is read in
-- one pass (a hash aggregate, no sort of scan_targets), and the locks on accounts (the foreign keys', then the new
-- columns' ACCESS EXCLUSIVE) are taken last, for the few quick statements that need them.

CREATE TABLE region_coverage (
    tenant_id          uuid        NOT NULL,
    account_id         uuid        NOT NULL,
    region             text        NOT NULL,
    -- The latest target that ended for the region itself: one skipped because its account had been disabled, or
    -- failed because it had been removed, says nothing about the region and is not recorded.
    status             text        NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'SKIPPED')),
    error_code         text,
    finished_at        timestamptz NOT NULL,
    last_succeeded_at  timestamptz,
    PRIMARY KEY (account_id, region)
);

ALTER TABLE region_coverage ENABLE ROW LEVEL SECURITY;
ALTER TABLE region_coverage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON region_coverage
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE ON region_coverage TO "${appRole}";

-- Why no recent scan vouches for what is stored of a region of an account, or NULL when the latest scan of it
-- succeeded and nothing stopped scans of it since: ACCOUNT_DISABLED, REGION_NOT_SCANNED (out of the account's explicit
-- list), LAST_SCAN_FAILED, REGION_NOT_ENABLED. What holds now comes first. An account-region no target has ended for
-- yet (nothing stored of it but what was written outside a scan) is judged by the account alone.
-- Plain SQL, STABLE (a text-to-timestamptz cast is no more): inlined into the queries that call it.
CREATE FUNCTION hub_unverified_reason(p_enabled boolean, p_regions text[], p_last_disabled_at timestamptz,
        p_regions_removed_at jsonb, p_region text, p_status text, p_error_code text, p_finished_at timestamptz)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN NOT p_enabled THEN 'ACCOUNT_DISABLED'
               WHEN cardinality(p_regions) > 0 AND NOT p_region = ANY (p_regions) THEN 'REGION_NOT_SCANNED'
               WHEN p_status = 'FAILED' THEN 'LAST_SCAN_FAILED'
               WHEN p_status = 'SKIPPED' AND p_error_code = 'REGION_NOT_ENABLED' THEN 'REGION_NOT_ENABLED'
               WHEN p_last_disabled_at > p_finished_at THEN 'ACCOUNT_DISABLED'
               WHEN (p_regions_removed_at ->> p_region)::timestamptz > p_finished_at THEN 'REGION_NOT_SCANNED'
           END
$$;

-- Per account-region, from the targets already recorded: when the latest that said something about the region ended,
-- when one last succeeded, and when one last found the account disabled.
CREATE TEMPORARY TABLE v190_region_history ON COMMIT DROP AS
SELECT t.account_id, t.region,
       max(t.finished_at) FILTER (WHERE coalesce(t.error_code, '') NOT IN ('ACCOUNT_DISABLED', 'ACCOUNT_NOT_FOUND'))
           AS latest_at,
       max(t.finished_at) FILTER (WHERE t.status = 'SUCCEEDED') AS succeeded_at,
       max(t.finished_at) FILTER (WHERE t.error_code = 'ACCOUNT_DISABLED') AS disabled_seen_at
  FROM scan_targets t
 WHERE t.status IN ('SUCCEEDED', 'FAILED', 'SKIPPED') AND t.finished_at IS NOT NULL
 GROUP BY t.account_id, t.region;

-- The latest target's outcome, found by its end through scan_targets_account_finished.
INSERT INTO region_coverage (tenant_id, account_id, region, status, error_code, finished_at, last_succeeded_at)
SELECT DISTINCT ON (h.account_id, h.region) t.tenant_id, h.account_id, h.region, t.status, t.error_code, h.latest_at,
       h.succeeded_at
  FROM v190_region_history h
  JOIN scan_targets t ON t.account_id = h.account_id AND t.finished_at = h.latest_at AND t.region = h.region
 WHERE h.latest_at IS NOT NULL
   AND t.status IN ('SUCCEEDED', 'FAILED', 'SKIPPED')
   AND coalesce(t.error_code, '') NOT IN ('ACCOUNT_DISABLED', 'ACCOUNT_NOT_FOUND')
 ORDER BY h.account_id, h.region;

ALTER TABLE region_coverage ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
ALTER TABLE region_coverage ADD FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;

-- When scans of the account were last stopped (disabled by the tenant, deactivated by a sync), kept once it is enabled
-- again; and per region, when it was last taken out of the account's explicit region list.
ALTER TABLE accounts ADD COLUMN last_disabled_at timestamptz;
ALTER TABLE accounts ADD COLUMN regions_removed_at jsonb NOT NULL DEFAULT '{}';

-- Accounts disabled now: since when is not known; their latest target's end stands in, so the mark stays after they
-- are enabled again until a scan of each region (later than it) ends. Accounts enabled now that a target found
-- disabled: since then, so a region not scanned after it stays marked.
UPDATE accounts a
   SET last_disabled_at = d.at
  FROM (SELECT a2.id,
               CASE WHEN a2.enabled THEN h.disabled_seen_at
                    ELSE greatest(coalesce(h.latest_at + interval '1 microsecond', a2.updated_at), h.disabled_seen_at)
               END AS at
          FROM accounts a2
          LEFT JOIN (SELECT account_id, max(latest_at) AS latest_at, max(disabled_seen_at) AS disabled_seen_at
                       FROM v190_region_history GROUP BY account_id) h ON h.account_id = a2.id) d
 WHERE a.id = d.id AND d.at IS NOT NULL;

-- Likewise the regions out of an explicit list now, so putting one back does not drop its mark before a scan of it.
UPDATE accounts a
   SET regions_removed_at = (SELECT jsonb_object_agg(c.region, c.finished_at + interval '1 microsecond')
                               FROM region_coverage c
                              WHERE c.account_id = a.id AND NOT c.region = ANY (a.regions))
 WHERE cardinality(a.regions) > 0
   AND EXISTS (SELECT 1 FROM region_coverage c WHERE c.account_id = a.id AND NOT c.region = ANY (a.regions));
