-- Statistics of the tables a scan target writes, taken while new accounts' first keys are written.
--
-- The planner estimates an account that is not in the statistics at one row, and then a target's findings upsert and
-- its event count read the whole tenant through its dashboard indexes for every finding (PostgreSQL 1.2-1.4 s per
-- target of 150 keys against 37 ms: docs/benchmarks.md). Autovacuum analyses a large table only after a tenth of it
-- changed, long after accounts are added to a hub that holds others. The hub calls this while it writes keys where
-- none were stored, at most once every few seconds per instance; it owns no table, so ANALYZE runs as their owner.
CREATE FUNCTION hub_analyze_scan_tables() RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public
    AS $$ ANALYZE kms_keys, findings, finding_events $$;
REVOKE ALL ON FUNCTION hub_analyze_scan_tables() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_analyze_scan_tables() TO "${appRole}";
