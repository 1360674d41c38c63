-- Who can use each key: the key policy and grants as the last scan read them, and the access the hub made of them.
-- NULL when never read (AWS-managed keys, keys scanned before these permissions): not "nobody", unknown.
ALTER TABLE kms_keys
    ADD COLUMN key_policy     text,
    ADD COLUMN grants         jsonb,
    ADD COLUMN access         jsonb,
    ADD COLUMN access_read_at timestamptz;

-- Third-party accounts a tenant trusts with its keys (a vendor, an auditor): not cross-account exposures.
ALTER TABLE tenant_settings
    ADD COLUMN trusted_accounts text[] NOT NULL DEFAULT '{}'
        CHECK (array_to_string(trusted_accounts, ',') ~ '^([0-9]{12}(,[0-9]{12})*)?$'
               AND cardinality(trusted_accounts) <= 100);

-- Two finding types, and CRITICAL above HIGH (severity_rank 4).
ALTER TABLE findings DROP CONSTRAINT findings_type_check;
ALTER TABLE findings ADD CONSTRAINT findings_type_check CHECK (type IN ('KEY_UNUSED', 'ROTATION_DISABLED',
    'ROTATION_PERIOD_TOO_LONG', 'PENDING_DELETION_IN_USE', 'KEY_POLICY_PUBLIC', 'KEY_CROSS_ACCOUNT_ACCESS'));
ALTER TABLE findings DROP CONSTRAINT findings_severity_check;
ALTER TABLE findings ADD CONSTRAINT findings_severity_check CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));
