-- Usage knowledge as spans, and degraded answers a dashboard can show.
--
-- usage_searched: the spans of time searched for a key's use, [[from, to], ...] in time order, disjoint. With
-- last_used_*, the newest successful use ever found, they say: in every span, no successful use later than that one.
-- Spans only grow, and last_used_* only moves forward, so a narrower later search never forgets a use found before.
-- It replaces usage_known_since, which held one span and was overwritten by whichever search ran last.
ALTER TABLE kms_keys ADD COLUMN usage_searched jsonb NOT NULL DEFAULT '[]';
UPDATE kms_keys
   SET usage_searched = jsonb_build_array(jsonb_build_array(
           hub_iso_instant(usage_known_since), hub_iso_instant(usage_checked_at)))
 WHERE usage_known_since IS NOT NULL AND usage_checked_at IS NOT NULL AND usage_status <> 'UNKNOWN'
   AND usage_known_since <= usage_checked_at;
ALTER TABLE kms_keys DROP COLUMN usage_known_since;

-- When the stored state was last read from AWS (DescribeKey answered): a key seen Enabled less than 7 days ago cannot
-- have been deleted, but only if it was seen, not carried over from an earlier read while DescribeKey was withheld.
ALTER TABLE kms_keys ADD COLUMN metadata_read_at timestamptz;
UPDATE kms_keys SET metadata_read_at = last_seen_at WHERE state IS NOT NULL;

-- A key whose metadata AWS withheld has no known cost: NULL, never 0, and the summary counts such keys.
ALTER TABLE kms_keys ALTER COLUMN monthly_cost_usd DROP NOT NULL;
ALTER TABLE kms_keys ALTER COLUMN monthly_cost_usd DROP DEFAULT;
UPDATE kms_keys SET monthly_cost_usd = NULL WHERE unknown ? 'metadata';

-- What a target could not judge: keys with an undecided verdict, and warnings [{code, message, keys}].
ALTER TABLE scan_targets ADD COLUMN undecided_keys int NOT NULL DEFAULT 0;
ALTER TABLE scan_targets ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]';
