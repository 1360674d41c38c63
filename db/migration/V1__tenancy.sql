-- Tenancy: tenants, their API keys, settings and registered AWS accounts.
--
-- Isolation is enforced by Postgres, not only by the application: every tenant-owned table has a row-level
-- security policy keyed on the transaction-local setting hub.tenant_id, FORCEd so even the table owner is
-- subject to it. The hub connects as ${appRole}, which owns nothing and cannot bypass RLS. A query that forgets
-- its tenant filter therefore sees no rows at all. Cross-tenant reads that the hub genuinely needs (API-key
-- lookup, the admin tenant list, the scheduler) go through the SECURITY DEFINER functions at the end, owned by
-- the migration role (a superuser or a role with BYPASSRLS).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${appRole}') THEN
        CREATE ROLE "${appRole}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- created concurrently by a migration of another database in the same cluster
END $$;

GRANT USAGE ON SCHEMA public TO "${appRole}";

-- The tenant of the current transaction, or NULL (which matches no row) when none was set.
CREATE FUNCTION hub_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('hub.tenant_id', true), '')::uuid $$;

-- Instance-wide secrets generated once per database, so every hub instance shares them without configuration
-- (the HMAC key of pagination cursors).
CREATE TABLE hub_secrets (
    name  text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO hub_secrets (name, value)
VALUES ('cursor-hmac-key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

CREATE TABLE tenants (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    prefix       text        NOT NULL,             -- the first characters, to recognise a key in a list
    key_hash     bytea       NOT NULL UNIQUE,      -- SHA-256 of the whole key; the key itself is never stored
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at, id);

CREATE TABLE tenant_settings (
    tenant_id                 uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    exception_tag_key         text        NOT NULL CHECK (length(exception_tag_key) BETWEEN 1 AND 128),
    exception_tag_value       text        NOT NULL CHECK (length(exception_tag_value) <= 256),
    unused_days               int         NOT NULL CHECK (unused_days BETWEEN 1 AND 90),
    max_rotation_period_days  int         NOT NULL CHECK (max_rotation_period_days BETWEEN 90 AND 2560),
    default_regions           text[]      NOT NULL CHECK (cardinality(default_regions) >= 1),
    schedule_cron             text        NOT NULL,
    schedule_timezone         text        NOT NULL,
    schedule_enabled          boolean     NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id                uuid PRIMARY KEY,
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    aws_account_id    text        NOT NULL CHECK (aws_account_id ~ '^[0-9]{12}$'),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    regions           text[]      NOT NULL CHECK (cardinality(regions) >= 1),
    role_name         text        NOT NULL CHECK (role_name ~ '^[A-Za-z0-9+=,.@_-]{1,64}$'),
    external_id       text        NOT NULL UNIQUE CHECK (length(external_id) >= 32),
    enabled           boolean     NOT NULL DEFAULT true,
    status            text        NOT NULL CHECK (status IN ('PENDING', 'CONNECTED', 'FAILED', 'DISABLED')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    last_verified_at  timestamptz,
    UNIQUE (tenant_id, aws_account_id)
);
CREATE INDEX accounts_tenant_page ON accounts (tenant_id, created_at, id);

-- Row-level security on every tenant-owned table.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = hub_current_tenant()) WITH CHECK (id = hub_current_tenant());

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_settings
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON accounts
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT ON hub_secrets TO "${appRole}";
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, api_keys, tenant_settings, accounts TO "${appRole}";

-- Cross-tenant entry points. Each does one narrow thing and is the only way across the RLS boundary.

-- Resolves a presented API key to its tenant. Touches last_used_at at most once a minute per key so that
-- a busy dashboard does not turn every read into a write.
CREATE FUNCTION hub_authenticate_api_key(p_key_hash bytea)
    RETURNS TABLE (tenant_id uuid, api_key_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    RETURN QUERY
        UPDATE api_keys k
           SET last_used_at = now()
         WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
           AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
        RETURNING k.tenant_id, k.id;
    IF NOT FOUND THEN
        RETURN QUERY
            SELECT k.tenant_id, k.id FROM api_keys k
             WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL;
    END IF;
END $$;

-- The admin's list of tenants, keyset-paginated on (created_at, id).
CREATE FUNCTION hub_tenant_overview(p_after_created timestamptz, p_after_id uuid, p_limit int)
    RETURNS TABLE (id uuid, name text, created_at timestamptz, accounts bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT t.id, t.name, t.created_at,
           (SELECT count(*) FROM accounts a WHERE a.tenant_id = t.id)
      FROM tenants t
     WHERE p_after_created IS NULL OR (t.created_at, t.id) > (p_after_created, p_after_id)
     ORDER BY t.created_at, t.id
     LIMIT p_limit
$$;

REVOKE ALL ON FUNCTION hub_authenticate_api_key(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION hub_tenant_overview(timestamptz, uuid, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_authenticate_api_key(bytea) TO "${appRole}";
GRANT EXECUTE ON FUNCTION hub_tenant_overview(timestamptz, uuid, int) TO "${appRole}";
