-- The targets of a scan still QUEUED or RUNNING: every ended target asks whether it was its scan's last, and at
-- organisation scale (17,000 targets a scan) reading the scan's targets for that made each answer cost the scan's size.
CREATE INDEX scan_targets_unfinished ON scan_targets (scan_id) WHERE status IN ('QUEUED', 'RUNNING');
