-- What the notifications last said of each account's access (account.access_broken): told once when a scan finds the
-- spoke role cannot be assumed or lacks a permission, once when a later scan gets through again.

CREATE TABLE notification_account_access (
    account_id   uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    broken       boolean     NOT NULL,
    error_code   text,
    changed_at   timestamptz NOT NULL,
    scan_id      uuid        NOT NULL                  -- the scan that found it so
);

ALTER TABLE notification_account_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_account_access FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_account_access
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON notification_account_access TO "${appRole}";
