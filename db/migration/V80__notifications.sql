-- Notifications: the tenant's channels (Slack, Teams, email, signed webhooks) and the outbox of their deliveries.
--
-- A channel's target (a Slack or Teams URL carries a token, an email list is personal data) and a webhook's signing
-- secret are stored encrypted with AES-GCM under HUB_SECRETS_KEY (nonce || ciphertext || tag); the hint is the
-- masked form the API shows. A delivery row is written in the transaction that finalises a scan, with the
-- db-scheduler task that sends it: both commit or neither does, so no committed change goes untold.

CREATE TABLE notification_channels (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type               text        NOT NULL CHECK (type IN ('SLACK', 'TEAMS', 'EMAIL', 'WEBHOOK')),
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    target_encrypted   bytea       NOT NULL,
    target_hint        text        NOT NULL,
    secret_encrypted   bytea,                              -- WEBHOOK only: the whsec_ signing secret
    events             text[]      NOT NULL CHECK (cardinality(events) >= 1),
    min_severity       text        NOT NULL CHECK (min_severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    accounts           uuid[],                             -- NULL: every account of the tenant
    enabled            boolean     NOT NULL DEFAULT true,
    disabled_reason    text,                               -- set when the hub disabled it (receiver gone, 24 h failing)
    disabled_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_channels_tenant_page ON notification_channels (tenant_id, created_at, id);

CREATE TABLE notification_deliveries (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel_id         uuid        NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    event_id           uuid        NOT NULL,               -- the idempotency key the receiver sees (webhook-id)
    event_type         text        NOT NULL,
    occurred_at        timestamptz NOT NULL,
    data               jsonb       NOT NULL,               -- the event's data as this channel's filters shape it
    status             text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DISCARDED')),
    attempts           int         NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz,
    last_attempt_at    timestamptz,
    last_status_code   int,
    last_error         text,
    delivered_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel_id, event_id)
);
CREATE INDEX notification_deliveries_channel_page ON notification_deliveries (channel_id, created_at DESC, id DESC);

ALTER TABLE notification_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_channels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_channels
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_deliveries
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON notification_channels, notification_deliveries TO "${appRole}";

