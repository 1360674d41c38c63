-- The findings of one account-region in the default order. `unverified=true` lists the findings of the few
-- account-regions no recent scan vouches for as one branch each (FindingQueries), and each branch reads only the
-- rows it returns. It extends findings_target (account_id, region, status), whose reader (the reconciler) uses its
-- prefix, so writes still maintain one index for it; tenant_id rides along so that the summary's count of a marked
-- account-region stays index-only under row-level security.
CREATE INDEX findings_by_account_region ON findings (account_id, region, status, severity_rank DESC, id DESC)
    INCLUDE (tenant_id);
DROP INDEX findings_target;

-- The account-regions of a tenant whose findings and keys are unverified (hub_unverified_reason), region NULL for
-- every region of a disabled account. They are few, and found without reading findings: the tenant's accounts, their
-- region_coverage rows, and for an account with an explicit region list one probe per region of the tenant outside
-- it (a region may hold findings and no region_coverage row, e.g. one scanned before V190 whose targets were pruned).
-- A function so that callers plan around its few rows (ROWS) and its plan is cached; without JIT, which the
-- estimate of the cross join below (accounts x regions) would otherwise buy for hundreds of milliseconds.
CREATE FUNCTION hub_unverified_regions(p_tenant uuid)
    RETURNS TABLE (account_id uuid, region text)
    LANGUAGE plpgsql STABLE ROWS 10
    SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH RECURSIVE tenant_regions (region) AS (
            SELECT min(f.region) FROM findings f WHERE f.tenant_id = p_tenant
            UNION ALL
            SELECT (SELECT min(f.region) FROM findings f WHERE f.tenant_id = p_tenant AND f.region > t.region)
              FROM tenant_regions t WHERE t.region IS NOT NULL
        )
        SELECT a.id AS account_id, NULL::text AS region
          FROM accounts a
         WHERE a.tenant_id = p_tenant AND NOT a.enabled
        UNION
        SELECT c.account_id, c.region
          FROM accounts a JOIN region_coverage c ON c.account_id = a.id
         WHERE a.tenant_id = p_tenant AND a.enabled
           AND hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at, c.region,
                                     c.status, c.error_code, c.finished_at) IS NOT NULL
        UNION
        SELECT a.id, r.region
          FROM accounts a JOIN tenant_regions r ON NOT r.region = ANY (a.regions)
         WHERE a.tenant_id = p_tenant AND a.enabled AND cardinality(a.regions) > 0
           AND (SELECT true FROM findings f WHERE f.account_id = a.id AND f.region = r.region LIMIT 1);
END
$$;
