-- PENDING_DELETION_IN_USE's refused calls (KMSInvalidStateException, DisabledException on a key pending deletion), kept
-- as the usage search keeps its spans: the newest refused call found, and when CloudTrail was last searched for them.
-- A later scan searches only from shortly before that, not the key's whole 30 days of events again (the hub's own
-- reads of the key among them, page after page at LookupEvents' 2 calls a second).
ALTER TABLE kms_keys ADD COLUMN refused_use jsonb, ADD COLUMN refused_checked_at timestamptz;
