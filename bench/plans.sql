-- The plans of the read API's main queries on the seeded data, as the hub's role under row-level security.
-- psql variables: tenant, account (an account id), key (a key id of the tenant), arn (that key's ARN).
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL ROLE unusd_app;
SELECT set_config('hub.tenant_id', :'tenant', true) \g /dev/null

\echo '-- findings, default list (status OPEN, -severity), first page'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f JOIN kms_keys k ON k.id = f.key_ref JOIN accounts a ON a.id = f.account_id
 WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN' ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- findings, default list, page after a cursor'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f JOIN kms_keys k ON k.id = f.key_ref JOIN accounts a ON a.id = f.account_id
 WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN' AND (f.severity_rank, f.id) < (CAST(2 AS smallint), CAST(:'key' AS uuid))
 ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- findings, -firstSeenAt after a cursor'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN'
   AND (f.first_seen_at, f.id) < (CAST(now() AS timestamptz), CAST(:'key' AS uuid)) ORDER BY f.first_seen_at DESC, f.id DESC LIMIT 101;
\echo '-- findings, -monthlyCostUsd after a cursor'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN'
   AND (f.monthly_cost_cents, f.id) < (CAST(200 AS int), CAST(:'key' AS uuid)) ORDER BY f.monthly_cost_cents DESC, f.id DESC LIMIT 101;
\echo '-- findings, accountId filter'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN' AND f.account_id = :'account'
 ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- findings, type filter'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN' AND f.type = 'KEY_UNUSED'
 ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- findings, region filter'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN' AND f.region = 'eu-west-1'
 ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- keys, first page'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k JOIN accounts a ON a.id = k.account_id
 WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL ORDER BY k.id LIMIT 101;
\echo '-- keys, accountId filter after a cursor'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL
   AND k.account_id = :'account' AND k.id > :'key' ORDER BY k.id LIMIT 101;
\echo '-- keys, state filter'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL
   AND k.state = 'PendingDeletion' ORDER BY k.id LIMIT 101;
\echo '-- keys, usageStatus filter'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL
   AND k.usage_status = 'UNKNOWN' ORDER BY k.id LIMIT 101;
\echo '-- keys, arn'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL
   AND k.arn = :'arn' ORDER BY k.id LIMIT 101;
\echo '-- keys, q (inside hub_keys_matching, which runs as its owner)'
RESET ROLE;
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = hub_current_tenant() AND k.removed_at IS NULL
   AND hub_key_search_text(k.arn, k.aliases) LIKE '%app-12345%';
SET LOCAL ROLE unusd_app;
\echo '-- keys, hasOpenFindings=true'
EXPLAIN (COSTS OFF) SELECT k.id FROM kms_keys k WHERE k.tenant_id = :'tenant' AND k.removed_at IS NULL
   AND EXISTS (SELECT 1 FROM findings f WHERE f.key_ref = k.id AND f.status = 'OPEN') ORDER BY k.id LIMIT 101;
\echo '-- summary, open findings rollup'
EXPLAIN (COSTS OFF) SELECT account_id, type, severity, count(*), sum(monthly_cost_usd) FROM findings
 WHERE tenant_id = :'tenant' AND status = 'OPEN' GROUP BY 1, 2, 3;
\echo '-- findings, unverified: the marked accounts and account-regions (inside hub_unverified_regions)'
EXPLAIN (COSTS OFF) WITH RECURSIVE tenant_regions (region) AS (
    SELECT min(f.region) FROM findings f WHERE f.tenant_id = :'tenant'
    UNION ALL
    SELECT (SELECT min(f.region) FROM findings f WHERE f.tenant_id = :'tenant' AND f.region > t.region)
      FROM tenant_regions t WHERE t.region IS NOT NULL)
SELECT a.id, NULL::text FROM accounts a WHERE a.tenant_id = :'tenant' AND NOT a.enabled
UNION
SELECT c.account_id, c.region FROM accounts a JOIN region_coverage c ON c.account_id = a.id
 WHERE a.tenant_id = :'tenant' AND a.enabled AND hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at,
       a.regions_removed_at, c.region, c.status, c.error_code, c.finished_at) IS NOT NULL
UNION
SELECT a.id, r.region FROM accounts a JOIN tenant_regions r ON NOT r.region = ANY (a.regions)
 WHERE a.tenant_id = :'tenant' AND a.enabled AND cardinality(a.regions) > 0
   AND (SELECT true FROM findings f WHERE f.account_id = a.id AND f.region = r.region LIMIT 1);
\echo '-- findings, unverified=true: the branches of a marked account and of a marked account-region'
EXPLAIN (COSTS OFF) SELECT * FROM (
  (SELECT f.severity_rank, f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN'
      AND f.account_id = :'account' ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101)
  UNION ALL
  (SELECT f.severity_rank, f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN'
      AND f.account_id = :'account' AND f.region = 'eu-west-1' ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101)
) branches ORDER BY 1 DESC, 2 DESC LIMIT 101;
\echo '-- findings, unverified=false: the marked ones skipped on the index'
EXPLAIN (COSTS OFF) SELECT f.id FROM findings f WHERE f.tenant_id = :'tenant' AND f.status = 'OPEN'
   AND NOT f.account_id = ANY (CAST(ARRAY[:'account'] AS uuid[]))
   AND NOT (f.region = 'eu-west-1' AND f.account_id = ANY (CAST(ARRAY[:'account'] AS uuid[])))
 ORDER BY f.severity_rank DESC, f.id DESC LIMIT 101;
\echo '-- summary, open findings of a marked account-region'
EXPLAIN (COSTS OFF) SELECT count(*) FROM findings f WHERE f.account_id = :'account' AND f.region = 'eu-west-1'
   AND f.status = 'OPEN';
ROLLBACK;
