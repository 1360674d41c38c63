-- Whether an account's regions were copied from the tenant's default regions at registration (no regions given)
-- rather than listed for it. Verification fails an account for a region it has not enabled only when the region
-- was listed: defaults are one list for every account, and an opt-in region in them need not be enabled in all.
-- Accounts registered before this column count as listed: which way they were registered is not known, and the
-- stricter reading only ever reports a region that is really not enabled.
ALTER TABLE accounts ADD COLUMN regions_from_defaults boolean NOT NULL DEFAULT false;
