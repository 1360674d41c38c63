-- One tenant with 200 accounts, 250,000 keys and 1,000,000 findings (four per key), generated set-based.
-- psql variables: tenant (uuid). Runs as the database owner, which bypasses row-level security.
\set ON_ERROR_STOP on
SET synchronous_commit = off;

INSERT INTO accounts (id, tenant_id, aws_account_id, name, regions, role_name, external_id, status, created_at)
SELECT md5('account-' || g)::uuid, :'tenant', (100000000000 + g)::text, 'account-' || lpad(g::text, 3, '0'),
       '{us-east-1,eu-west-1,eu-central-1,ap-southeast-2}', 'UnusdSpokeRole', md5('external-' || g) || 'x',
       'CONNECTED', now() - interval '30 days'
  FROM generate_series(1, 200) g;

-- 1,250 keys per account spread over four regions; a tenth AWS-managed, some disabled or pending deletion.
INSERT INTO kms_keys (id, tenant_id, account_id, region, key_id, arn, aliases, state, spec, key_usage, origin, manager,
                      multi_region, aws_created_at, rotation_enabled, rotation_period_days, next_rotation_at, rotations,
                      last_used_at, last_used_operation, last_used_source, usage_status, tags, exempt,
                      monthly_cost_usd, first_seen_at, last_seen_at)
SELECT md5('key-' || g)::uuid, :'tenant', md5('account-' || (1 + g % 200))::uuid,
       (ARRAY['us-east-1','eu-west-1','eu-central-1','ap-southeast-2'])[1 + (g / 200) % 4],
       md5('kid-' || g)::uuid::text,
       'arn:aws:kms:' || (ARRAY['us-east-1','eu-west-1','eu-central-1','ap-southeast-2'])[1 + (g / 200) % 4] || ':'
           || (100000000000 + 1 + g % 200) || ':key/' || md5('kid-' || g)::uuid::text,
       ARRAY['alias/app-' || g, 'alias/team-' || (g % 97)],
       CASE WHEN g % 50 = 0 THEN 'PendingDeletion' WHEN g % 20 = 0 THEN 'Disabled' ELSE 'Enabled' END,
       'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS',
       CASE WHEN g % 10 = 0 THEN 'AWS' ELSE 'CUSTOMER' END,
       g % 25 = 0,
       now() - (g % 1000) * interval '1 day',
       g % 3 = 0, CASE WHEN g % 3 = 0 THEN 365 END, CASE WHEN g % 3 = 0 THEN now() + (g % 365) * interval '1 day' END,
       CASE WHEN g % 3 = 0 THEN g % 4 END,
       CASE WHEN g % 4 <> 0 THEN now() - (g % 200) * interval '1 day' END,
       CASE WHEN g % 4 <> 0 THEN 'Decrypt' END,
       CASE WHEN g % 4 <> 0 THEN 'CLOUDTRAIL' END,
       CASE WHEN g % 4 = 0 THEN 'UNUSED' WHEN g % 4 = 1 THEN 'USED' WHEN g % 4 = 2 THEN 'UNUSED' ELSE 'UNKNOWN' END,
       jsonb_build_object('team', 'team-' || (g % 97), 'env', CASE WHEN g % 2 = 0 THEN 'prod' ELSE 'dev' END),
       false,
       CASE WHEN g % 10 = 0 THEN 0 ELSE 1 + g % 3 END,
       now() - (g % 500) * interval '1 hour', now()
  FROM generate_series(1, 250000) g;

-- Every key gets all four finding types, all OPEN: the worst case for the default filter, the summary and the CSV.
INSERT INTO findings (tenant_id, key_ref, account_id, region, type, severity, severity_rank, status, title, detail,
                      evidence, monthly_cost_usd, remediation, first_seen_at, last_seen_at)
SELECT k.tenant_id, k.id, k.account_id, k.region, t.type, t.severity, t.rank, 'OPEN',
       t.title || ' ' || k.key_id, t.title || ' in ' || k.region,
       jsonb_build_object('lastUsedAt', k.last_used_at, 'unusedDays', 90, 'keyState', k.state),
       k.monthly_cost_usd,
       jsonb_build_array('aws kms disable-key --region ' || k.region || ' --key-id ' || k.key_id,
                         'aws kms schedule-key-deletion --region ' || k.region || ' --key-id ' || k.key_id
                             || ' --pending-window-in-days 30'),
       k.first_seen_at + t.rank * interval '1 minute', now()
  FROM kms_keys k
 CROSS JOIN (VALUES ('KEY_UNUSED', 'MEDIUM', 2, 'Key not used in 90 days'),
                    ('ROTATION_DISABLED', 'MEDIUM', 2, 'Automatic rotation is off'),
                    ('ROTATION_PERIOD_TOO_LONG', 'LOW', 1, 'Rotation period longer than 365 days'),
                    ('PENDING_DELETION_IN_USE', 'HIGH', 3, 'Key pending deletion still in use'))
       AS t(type, severity, rank, title)
 WHERE k.tenant_id = :'tenant';

-- Scans: every account's four regions finished a few hours ago.
INSERT INTO scans (id, tenant_id, trigger, status, created_at, started_at, finished_at)
VALUES (md5('scan-1')::uuid, :'tenant', 'SCHEDULED', 'SUCCEEDED', now() - interval '3 hours',
        now() - interval '3 hours', now() - interval '2 hours');
INSERT INTO scan_targets (scan_id, tenant_id, account_id, region, status, started_at, finished_at, keys_scanned)
SELECT md5('scan-1')::uuid, :'tenant', a.id, r, 'SUCCEEDED', now() - interval '3 hours',
       now() - interval '2 hours' - (a.aws_account_id::bigint % 60) * interval '1 minute', 312
  FROM accounts a CROSS JOIN unnest(a.regions) r
 WHERE a.tenant_id = :'tenant';
