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
ROLLBACK;
