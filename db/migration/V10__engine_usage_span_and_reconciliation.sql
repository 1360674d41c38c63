-- What the scan engine needs beyond V2.
--
-- usage_known_since: with last_used_*, a key's usage knowledge is "no successful cryptographic use in
-- [usage_known_since, usage_checked_at] other than last_used_at". A rescan uses it to skip CloudTrail for a stretch
-- of time an earlier scan already searched (the gap before GetKeyLastUsage's TrackingStartDate, or everything when
-- GetKeyLastUsage is denied for the key).
ALTER TABLE kms_keys ADD COLUMN usage_known_since timestamptz;

-- Reconciliation resolves the findings of one (account, region) at a time.
CREATE INDEX findings_target ON findings (account_id, region, status);

-- One event per (scan, finding, status): a target run twice records its transitions once, and a scan's counts
-- (findingsOpened, findingsResolved) are read back from these events.
CREATE UNIQUE INDEX finding_events_once_per_scan ON finding_events (scan_id, finding_id, status);
