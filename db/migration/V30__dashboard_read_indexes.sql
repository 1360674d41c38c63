-- Indexes behind every filter and sort of the dashboard read API (GET /keys, /findings, /summary).
--
-- Lists page by keyset on (sort value, id), both descending, so a cursor condition "(value, id) < (x, y)" is a
-- range in one of these indexes and a deep page costs what the first one does. Row-level security matters here:
-- a user condition can only become an index condition if its operator is LEAKPROOF. uuid, text equality,
-- smallint and timestamptz comparisons are; numeric comparisons and LIKE are not. Hence the integer cents
-- column for the cost sort, and the SECURITY DEFINER search function for q below.

-- Findings: status is always given (the API defaults it to OPEN), so it follows the tenant in every index.
CREATE INDEX findings_page_severity ON findings (tenant_id, status, severity_rank DESC, id DESC);
CREATE INDEX findings_page_first_seen ON findings (tenant_id, status, first_seen_at DESC, id DESC);

-- Keyset on a numeric column cannot use the index under RLS (numeric_lt is not leakproof); integer cents can.
ALTER TABLE findings
    ADD COLUMN monthly_cost_cents int GENERATED ALWAYS AS ((monthly_cost_usd * 100)::int) STORED;
CREATE INDEX findings_page_cost ON findings (tenant_id, status, monthly_cost_cents DESC, id DESC);

-- Selective filters with the default sort; with another sort their few thousand rows are sorted in memory.
CREATE INDEX findings_by_type ON findings (tenant_id, type, status, severity_rank DESC, id DESC);
CREATE INDEX findings_by_account ON findings (tenant_id, account_id, status, severity_rank DESC, id DESC);
CREATE INDEX findings_by_region ON findings (tenant_id, region, status, severity_rank DESC, id DESC);

-- hasOpenFindings on keys, and the summary's per-account and per-type counts of open findings (index-only).
CREATE INDEX findings_open_by_key ON findings (key_ref) WHERE status = 'OPEN';
CREATE INDEX findings_open_rollup ON findings (tenant_id, account_id, type, severity)
    INCLUDE (monthly_cost_usd) WHERE status = 'OPEN';

-- Keys: lists show keys still present in AWS only, ordered by id.
CREATE INDEX kms_keys_live_page ON kms_keys (tenant_id, id) WHERE removed_at IS NULL;
CREATE INDEX kms_keys_live_account ON kms_keys (tenant_id, account_id, id) WHERE removed_at IS NULL;
CREATE INDEX kms_keys_live_region ON kms_keys (tenant_id, region, id) WHERE removed_at IS NULL;
CREATE INDEX kms_keys_live_state ON kms_keys (tenant_id, state, id) WHERE removed_at IS NULL;
CREATE INDEX kms_keys_live_usage ON kms_keys (tenant_id, usage_status, id) WHERE removed_at IS NULL;
CREATE INDEX kms_keys_live_arn ON kms_keys (tenant_id, arn) WHERE removed_at IS NULL;

-- Last finished scan of each account for the summary.
CREATE INDEX scan_targets_account_finished ON scan_targets (account_id, finished_at DESC);

-- q: case-insensitive substring of the ARN or an alias, served by a trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- IMMUTABLE although array_to_string is STABLE: text[] output depends on no setting, and an index needs it.
CREATE FUNCTION hub_key_search_text(p_arn text, p_aliases text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(p_arn || E'\n' || array_to_string(p_aliases, E'\n')) $$;

CREATE INDEX kms_keys_live_search ON kms_keys USING gin (hub_key_search_text(arn, aliases) gin_trgm_ops)
    WHERE removed_at IS NULL;

-- The ids of the current tenant's live keys whose ARN or alias contains p_pattern (a LIKE pattern, already
-- lower-cased and escaped by the caller). SECURITY DEFINER only so that ILIKE, which is not leakproof, can use
-- the trigram index; it filters on the transaction's tenant itself and so never crosses tenants.
CREATE FUNCTION hub_keys_matching(p_pattern text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT k.id FROM kms_keys k
     WHERE k.tenant_id = hub_current_tenant() AND k.removed_at IS NULL
       AND hub_key_search_text(k.arn, k.aliases) LIKE p_pattern
$$;

REVOKE ALL ON FUNCTION hub_keys_matching(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_keys_matching(text) TO "${appRole}";
