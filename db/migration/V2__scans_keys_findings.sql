-- Scans, the key inventory and findings.
--
-- A scan covers a tenant's enabled accounts; each (account, region) is a target that runs, fails or is skipped
-- on its own. The inventory keeps one row per key (account, region, key id) updated in place by every
-- successful scan of its target; findings keep one row per (key, type) whose status moves between OPEN,
-- RESOLVED and SUPPRESSED, with every transition recorded in finding_events.

CREATE TABLE scans (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    trigger            text        NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULED')),
    status             text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz,
    finished_at        timestamptz,
    keys_scanned       int         NOT NULL DEFAULT 0,
    findings_opened    int         NOT NULL DEFAULT 0,
    findings_resolved  int         NOT NULL DEFAULT 0
);
CREATE INDEX scans_tenant_page ON scans (tenant_id, created_at DESC, id DESC);

CREATE TABLE scan_targets (
    scan_id            uuid        NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id         uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    region             text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    started_at         timestamptz,
    finished_at        timestamptz,
    attempts           int         NOT NULL DEFAULT 0,
    keys_scanned       int         NOT NULL DEFAULT 0,
    findings_opened    int         NOT NULL DEFAULT 0,
    findings_resolved  int         NOT NULL DEFAULT 0,
    error_code         text,
    error_message      text,
    PRIMARY KEY (scan_id, account_id, region)
);
CREATE INDEX scan_targets_account ON scan_targets (account_id, status);

CREATE TABLE kms_keys (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id             uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id            uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    region                text        NOT NULL,
    key_id                text        NOT NULL,            -- AWS key id; repeats across regions for multi-Region keys
    arn                   text        NOT NULL,
    aliases               text[]      NOT NULL DEFAULT '{}',
    state                 text,                            -- NULL when DescribeKey was denied for this key
    spec                  text,
    key_usage             text,
    origin                text,
    manager               text,
    multi_region          boolean,
    multi_region_type     text,                            -- PRIMARY | REPLICA
    aws_created_at        timestamptz,
    deletion_date         timestamptz,
    rotation_enabled      boolean,                         -- rotation columns NULL when rotation does not apply
    rotation_period_days  int,
    next_rotation_at      timestamptz,
    rotations             int,
    last_used_at          timestamptz,
    last_used_operation   text,
    last_used_source      text CHECK (last_used_source IN ('KMS_LAST_USAGE', 'CLOUDTRAIL')),
    last_used_event_id    text,
    usage_status          text        NOT NULL DEFAULT 'UNKNOWN' CHECK (usage_status IN ('USED', 'UNUSED', 'UNKNOWN')),
    usage_checked_at      timestamptz,                     -- when usage was last resolved from AWS (incremental rescans)
    unknown               jsonb       NOT NULL DEFAULT '{}', -- field -> reason, for per-key denials
    tags                  jsonb       NOT NULL DEFAULT '{}',
    exempt                boolean     NOT NULL DEFAULT false,
    monthly_cost_usd      numeric(8, 2) NOT NULL DEFAULT 0,
    first_seen_at         timestamptz NOT NULL DEFAULT now(),
    last_seen_at          timestamptz NOT NULL DEFAULT now(),
    removed_at            timestamptz,                     -- gone from AWS at a later successful scan
    last_scan_id          uuid,
    UNIQUE (account_id, region, key_id)
);
CREATE INDEX kms_keys_tenant_page ON kms_keys (tenant_id, id);

CREATE TABLE findings (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_ref           uuid        NOT NULL REFERENCES kms_keys (id) ON DELETE CASCADE,
    account_id        uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    region            text        NOT NULL,
    type              text        NOT NULL CHECK (type IN ('KEY_UNUSED', 'ROTATION_DISABLED', 'ROTATION_PERIOD_TOO_LONG',
                                                           'PENDING_DELETION_IN_USE')),
    severity          text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH')),
    severity_rank     smallint    NOT NULL,                -- HIGH 3, MEDIUM 2, LOW 1: sortable
    status            text        NOT NULL CHECK (status IN ('OPEN', 'RESOLVED', 'SUPPRESSED')),
    title             text        NOT NULL,
    detail            text        NOT NULL,
    evidence          jsonb       NOT NULL DEFAULT '{}',
    monthly_cost_usd  numeric(8, 2) NOT NULL DEFAULT 0,
    remediation       jsonb       NOT NULL DEFAULT '[]',   -- CLI commands, in order
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    last_scan_id      uuid,
    UNIQUE (key_ref, type)
);

CREATE TABLE finding_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    finding_id  uuid        NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    scan_id     uuid,
    status      text        NOT NULL CHECK (status IN ('OPEN', 'RESOLVED', 'SUPPRESSED')),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, at);

ALTER TABLE scans ENABLE ROW LEVEL SECURITY;
ALTER TABLE scans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scans
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE scan_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE scan_targets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scan_targets
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE kms_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE kms_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON kms_keys
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE findings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON findings
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE finding_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE finding_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON finding_events
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON scans, scan_targets, kms_keys, findings, finding_events TO "${appRole}";
