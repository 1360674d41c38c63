-- Mutes decided in the hub, beside the AWS exemption tag (which needs write access to the customer's account).
-- A suppression matches a finding on every column it sets: key_ref + type (one finding), key_ref (every finding of
-- one key), account_id + type (a finding type across an account). While it is active (no expiry, or not yet
-- expired), the reconciler stores its matching findings as SUPPRESSED; once it expires or is deleted, the next scan
-- opens them again.
CREATE TABLE suppressions (
    id          uuid PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    scope       text        NOT NULL CHECK (scope IN ('FINDING', 'KEY', 'ACCOUNT_TYPE')),
    key_ref     uuid        REFERENCES kms_keys (id) ON DELETE CASCADE,
    account_id  uuid        REFERENCES accounts (id) ON DELETE CASCADE,
    type        text,
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    author      text        NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    CHECK (CASE scope
               WHEN 'FINDING' THEN key_ref IS NOT NULL AND type IS NOT NULL AND account_id IS NULL
               WHEN 'KEY' THEN key_ref IS NOT NULL AND type IS NULL AND account_id IS NULL
               ELSE account_id IS NOT NULL AND type IS NOT NULL AND key_ref IS NULL END)
);
-- The reconciler looks suppressions up by key and by account; the list pages by creation.
CREATE INDEX suppressions_by_key ON suppressions (key_ref) WHERE key_ref IS NOT NULL;
CREATE INDEX suppressions_by_account ON suppressions (account_id, type) WHERE account_id IS NOT NULL;
CREATE INDEX suppressions_by_tenant ON suppressions (tenant_id, created_at, id);

ALTER TABLE suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE suppressions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON suppressions
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, DELETE ON suppressions TO "${appRole}";
