-- Organisations, second part: the names of their OUs (the summary breaks figures down by OU), when a sync
-- deactivated an account (findings of deactivated accounts are marked with it), and removing an organisation.

-- Every OU and root a sync of the organisation read, by its id: name and AWS entity path (o-.../r-.../ou-.../,
-- the OU's own id last, as accounts.ou_path spells the path of their parent). Upserted at each sync and never
-- deleted: accounts deactivated while in an OU that is gone since keep its name in the summary.
CREATE TABLE organization_units (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    organization_id  uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id               text        NOT NULL,
    name             text        NOT NULL,
    path             text        NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX organization_units_tenant ON organization_units (tenant_id);

ALTER TABLE organization_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_units FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organization_units
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());
GRANT SELECT, INSERT, UPDATE ON organization_units TO "${appRole}";

-- When a sync (or removing the organisation) deactivated the account; NULL while deactivated_reason is.
ALTER TABLE accounts ADD COLUMN deactivated_at timestamptz;
UPDATE accounts SET deactivated_at = updated_at WHERE deactivated_reason IS NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_deactivated_at_with_reason
    CHECK ((deactivated_reason IS NULL) = (deactivated_at IS NULL));
ALTER TABLE accounts DROP CONSTRAINT accounts_deactivated_reason_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_deactivated_reason_check CHECK (deactivated_reason IN
    ('LEFT_ORGANIZATION', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'MOVED_OUT', 'EXCLUDED', 'ORGANIZATION_REMOVED'));

-- DELETE /organizations/{id} keeps the row (its accounts keep pointing at it, with their findings, and a member
-- account's ExternalId is unique only per organisation), marked removed: it leaves every list and is never synced.
-- The same management account may then be registered again.
ALTER TABLE organizations ADD COLUMN removed_at timestamptz;
ALTER TABLE organizations DROP CONSTRAINT organizations_tenant_id_management_account_id_key;
CREATE UNIQUE INDEX organizations_management_account ON organizations (tenant_id, management_account_id)
    WHERE removed_at IS NULL;

CREATE OR REPLACE FUNCTION hub_organization_tenants()
    RETURNS TABLE (tenant_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT DISTINCT o.tenant_id FROM organizations o WHERE o.removed_at IS NULL ORDER BY o.tenant_id
$$;
