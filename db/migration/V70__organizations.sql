-- AWS organisations onboarded as a whole. The hub reads each organisation's structure through a reader role in its
-- management (or delegated administrator) account, and registers the ACTIVE accounts under the chosen OUs as
-- accounts of the tenant. One ExternalId per organisation: a service-managed StackSet gives every account the same
-- parameter values, so each member account stores the organisation's ExternalId as its own.

CREATE TABLE organizations (
    id                      uuid PRIMARY KEY,
    tenant_id               uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    management_account_id   text        NOT NULL CHECK (management_account_id ~ '^\d{12}$'),
    name                    text        NOT NULL,
    aws_organization_id     text,                           -- o-...; learned at the first sync
    organizational_units    text[]      NOT NULL,           -- empty: the whole organisation (its root)
    exclude_accounts        text[]      NOT NULL DEFAULT '{}',
    regions                 text[],                         -- NULL: the tenant's default regions
    external_id             text        NOT NULL UNIQUE CHECK (length(external_id) >= 32),
    reader_role_name        text        NOT NULL,
    spoke_role_name         text        NOT NULL,
    created_at              timestamptz NOT NULL,
    last_synced_at          timestamptz,
    UNIQUE (tenant_id, management_account_id)
);
CREATE INDEX organizations_tenant_page ON organizations (tenant_id, created_at, id);

-- One row per sync: what it found and changed. errors is a JSON array of {awsAccountId, code, message}.
CREATE TABLE organization_syncs (
    id                uuid PRIMARY KEY,
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    organization_id   uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    trigger           text        NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULED')),
    status            text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    accounts_found    int         NOT NULL DEFAULT 0,   -- member accounts in the organisation, any state
    in_scope          int         NOT NULL DEFAULT 0,   -- ACTIVE accounts under the chosen OUs, not excluded
    added             int         NOT NULL DEFAULT 0,
    reactivated       int         NOT NULL DEFAULT 0,
    removed           int         NOT NULL DEFAULT 0,
    unchanged         int         NOT NULL DEFAULT 0,
    verified          int         NOT NULL DEFAULT 0,   -- accounts verified CONNECTED by this sync
    api_calls         int         NOT NULL DEFAULT 0,   -- Organizations calls, retries included
    throttled         int         NOT NULL DEFAULT 0,   -- of which answered TooManyRequestsException
    error_code        text,
    error_message     text,
    errors            jsonb       NOT NULL DEFAULT '[]'
);
CREATE INDEX organization_syncs_page ON organization_syncs (organization_id, created_at DESC, id DESC);

-- Accounts an organisation registered: which one, where in it (the AWS entity path o-.../r-.../ou-.../ as
-- aws:PrincipalOrgPaths spells it, so an OU filter is a match on /ou-id/), the account's tags, and why a sync
-- deactivated it (left the organisation, suspended, closed, moved out of the chosen OUs). Deactivated accounts are
-- disabled: their findings stay as they were, neither resolved nor rescanned.
ALTER TABLE accounts
    ADD COLUMN organization_id   uuid REFERENCES organizations (id) ON DELETE SET NULL,
    ADD COLUMN ou_path           text,
    ADD COLUMN aws_tags          jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN deactivated_reason text CHECK (deactivated_reason IN
        ('LEFT_ORGANIZATION', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'MOVED_OUT', 'EXCLUDED'));
CREATE INDEX accounts_organization ON accounts (organization_id) WHERE organization_id IS NOT NULL;

-- Every member account of an organisation carries the organisation's ExternalId, so the ExternalId is unique per
-- account only among accounts registered by hand (and unique per organisation in organizations above).
ALTER TABLE accounts DROP CONSTRAINT accounts_external_id_key;
CREATE UNIQUE INDEX accounts_external_id_own ON accounts (external_id) WHERE organization_id IS NULL;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE organization_syncs ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_syncs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organization_syncs
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON organizations, organization_syncs TO "${appRole}";

-- Every tenant that has an organisation, for the start-up reconciliation of the per-tenant sync tasks.
CREATE FUNCTION hub_organization_tenants()
    RETURNS TABLE (tenant_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT DISTINCT o.tenant_id FROM organizations o ORDER BY o.tenant_id
$$;
REVOKE ALL ON FUNCTION hub_organization_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_organization_tenants() TO "${appRole}";
