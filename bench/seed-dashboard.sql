-- What the dashboard's pages read beyond bench/seed-findings.sql: 90 days of daily scans (every account's four regions
-- each time) with their totals for the trends, and 100 suppressions (60 of one finding, 30 of one key, 10 of a finding
-- type across an account) with their findings SUPPRESSED, as creating them through the hub leaves them.
-- psql variables: tenant (uuid). Runs as the database owner, which bypasses row-level security. Seeds once: a second run
-- on a kept database changes nothing.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SELECT NOT EXISTS (SELECT FROM suppressions WHERE tenant_id = :'tenant') AS seed \gset
\if :seed

INSERT INTO scans (id, tenant_id, trigger, status, created_at, started_at, finished_at, keys_scanned)
SELECT md5('daily-scan-' || d)::uuid, :'tenant', 'SCHEDULED', 'SUCCEEDED', now() - d * interval '1 day',
       now() - d * interval '1 day', now() - d * interval '1 day' + interval '20 minutes', 250000
  FROM generate_series(1, 90) d;
INSERT INTO scan_targets (scan_id, tenant_id, account_id, region, status, started_at, finished_at, attempts,
                          keys_scanned)
SELECT md5('daily-scan-' || d)::uuid, :'tenant', a.id, r, 'SUCCEEDED', now() - d * interval '1 day',
       now() - d * interval '1 day' + (a.aws_account_id::bigint % 20) * interval '1 minute', 1, 312
  FROM generate_series(1, 90) d CROSS JOIN accounts a CROSS JOIN unnest(a.regions) r
 WHERE a.tenant_id = :'tenant';
INSERT INTO scan_totals (scan_id, tenant_id, finished_at, monthly_cost_usd, potential_monthly_savings_usd,
                         open_findings, cost_unknown_keys)
SELECT md5('daily-scan-' || d)::uuid, :'tenant', now() - d * interval '1 day' + interval '20 minutes',
       450000 - d * 100, 120000 - d * 50, 1000000 - d * 1000, 0
  FROM generate_series(1, 90) d;

-- Keys 1-60: one finding each; keys 61-90: every finding of the key; accounts 1-10: ROTATION_PERIOD_TOO_LONG.
INSERT INTO suppressions (id, tenant_id, scope, key_ref, type, reason, author, created_at, expires_at)
SELECT md5('suppression-' || g)::uuid, :'tenant', 'FINDING', md5('key-' || g)::uuid, 'KEY_UNUSED',
       'kept for the archive, ticket ' || g, 'bench', now() - (100 - g) * interval '1 hour',
       CASE WHEN g % 3 = 0 THEN now() - interval '1 day' WHEN g % 3 = 1 THEN now() + interval '30 days' END
  FROM generate_series(1, 60) g;
INSERT INTO suppressions (id, tenant_id, scope, key_ref, reason, author, created_at)
SELECT md5('suppression-' || g)::uuid, :'tenant', 'KEY', md5('key-' || g)::uuid, 'owned by another team',
       'bench', now() - (100 - g) * interval '1 hour'
  FROM generate_series(61, 90) g;
INSERT INTO suppressions (id, tenant_id, scope, account_id, type, reason, author, created_at)
SELECT md5('suppression-' || g)::uuid, :'tenant', 'ACCOUNT_TYPE', md5('account-' || (g - 90))::uuid,
       'ROTATION_PERIOD_TOO_LONG', 'sandbox account', 'bench', now() - (100 - g) * interval '1 hour'
  FROM generate_series(91, 100) g;
UPDATE findings f SET status = 'SUPPRESSED'
  FROM suppressions s
 WHERE s.tenant_id = :'tenant' AND (s.expires_at IS NULL OR s.expires_at > now())
   AND s.key_ref = f.key_ref AND (s.type IS NULL OR s.type = f.type);
UPDATE findings f SET status = 'SUPPRESSED'
  FROM suppressions s
 WHERE s.tenant_id = :'tenant' AND s.scope = 'ACCOUNT_TYPE' AND f.tenant_id = :'tenant'
   AND s.account_id = f.account_id AND s.type = f.type;
-- Cached pages and summaries of the tenant are out of date (as after any change to its findings).
UPDATE tenants SET findings_version = findings_version + 1 WHERE id = :'tenant';
ANALYZE scans, scan_targets, scan_totals, suppressions, findings;
\endif
