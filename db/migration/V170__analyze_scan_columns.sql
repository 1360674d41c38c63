-- The scan tables' statistics for new accounts (V160), cheaper: only the columns a target's statements filter and
-- join on. The estimate that went wrong was of an account, tenant or scan missing from the statistics; the wide
-- columns (key policies, grants, tags, evidence) and the search index's expression cost most of a full ANALYZE and
-- changed nothing in those plans: an organisation of 1,000 new accounts ran it 23 times in its first scan, at 2.7 s
-- each. With a column list PostgreSQL still samples the rows and updates the tables' row counts; autovacuum keeps
-- analysing every column, as before.
CREATE OR REPLACE FUNCTION hub_analyze_scan_tables() RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public
    AS $$ ANALYZE kms_keys (tenant_id, account_id, region, key_id, removed_at),
                  findings (tenant_id, account_id, region, key_ref, type, status),
                  finding_events (tenant_id, scan_id, finding_id, status) $$;
