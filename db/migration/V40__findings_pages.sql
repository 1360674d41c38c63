-- Pages of findings rendered by Postgres and cached by the hub under a per-tenant version (FindingPages).

-- An instant as java.time's ISO_INSTANT prints it, which is how Jackson writes the API's Instants: UTC with a 'Z',
-- the fraction in groups of three digits, none when it is zero. Pages of findings are rendered in SQL and must
-- read exactly like the single findings Jackson renders.
CREATE FUNCTION hub_iso_instant(t timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', CASE
        WHEN date_part('microseconds', t)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"'
        WHEN date_part('microseconds', t)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
        ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END)
$$;

-- Raised after every committed change to a tenant's findings (a reconciled target, a removed account). A cached
-- page is served only while the version it was rendered under is still current.
ALTER TABLE tenants ADD COLUMN findings_version bigint NOT NULL DEFAULT 0;

-- Authentication hands the version out with the tenant, so checking a cached page costs no extra round trip.
-- Read before the page is, it can only be older than the page's snapshot: a change is never missed.
DROP FUNCTION hub_authenticate_api_key(bytea);
CREATE FUNCTION hub_authenticate_api_key(p_key_hash bytea)
    RETURNS TABLE (tenant_id uuid, api_key_id uuid, findings_version bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    RETURN QUERY
        UPDATE api_keys k
           SET last_used_at = now()
         WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
           AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
        RETURNING k.tenant_id, k.id, (SELECT t.findings_version FROM tenants t WHERE t.id = k.tenant_id);
    IF NOT FOUND THEN
        RETURN QUERY
            SELECT k.tenant_id, k.id, t.findings_version FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
             WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL;
    END IF;
END $$;
REVOKE ALL ON FUNCTION hub_authenticate_api_key(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_authenticate_api_key(bytea) TO "${appRole}";
