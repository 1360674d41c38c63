-- The findings version at which each account's keys or findings last changed.
--
-- Every transaction that changes a tenant's findings raises tenants.findings_version (FindingPages) and now also
-- records here, under that new version, the account whose keys or findings it changed. A hub instance holding a
-- tenant's summary totals of version v then recomputes only the accounts recorded above v, not the whole tenant.
-- Written only while the tenant's row is locked by that raise, so these rows never wait on anything else; no foreign
-- key to accounts, whose rows other transactions lock (a removed account's row says its figures are gone).

CREATE TABLE account_findings_versions (
    tenant_id  uuid   NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id uuid   NOT NULL,
    version    bigint NOT NULL,
    PRIMARY KEY (tenant_id, account_id)
);

ALTER TABLE account_findings_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_findings_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_findings_versions
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE ON account_findings_versions TO "${appRole}";
