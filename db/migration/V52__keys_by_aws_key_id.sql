-- GET /api/v1/keys/{id} also takes an AWS key id or key ARN: the tenant's keys with that key id, removed or not.
-- text equality is leakproof, so under row-level security this is an index condition.
CREATE INDEX kms_keys_by_key_id ON kms_keys (tenant_id, key_id);
