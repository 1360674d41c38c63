-- The key material that was current when a key's rotations were counted, as ListKeyRotations confirmed it.
--
-- Every rotation, automatic or on demand, makes new key material current, and DescribeKey names the current one
-- (CurrentKeyMaterialId). While it still names this one, no rotation has happened since the count: a rescan keeps the
-- count without calling ListKeyRotations. NULL (rows from before, keys that do not rotate, a listing that did not show
-- this material as current): the next scan counts again.
ALTER TABLE kms_keys ADD COLUMN rotations_key_material_id text;
