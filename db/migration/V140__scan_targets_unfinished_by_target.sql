-- The unfinished targets of a scan, now indexed by the whole target: (scan, region, account).
--
-- V56 led this partial index with the scan alone, for "is any target of this scan unfinished?". Once most of
-- scan_targets is history, statistics say the index is small, and the planner took it for a target's own write (its
-- result: scan, account, region and status = 'RUNNING') too, reading every unfinished target of the scan to find one:
-- 17,000 index entries per target early in an organisation's scan. Led by the whole target, it finds that row in one
-- probe whichever index the planner picks. Region before account, unlike the primary key: the scan-wide question asks
-- for the first unfinished target in this order (Scans.finaliseIfDone), which no other index gives, so no statistics
-- can make the planner walk the primary key's finished targets instead.
DROP INDEX scan_targets_unfinished;
CREATE INDEX scan_targets_unfinished ON scan_targets (scan_id, region, account_id) WHERE status IN ('QUEUED', 'RUNNING');
