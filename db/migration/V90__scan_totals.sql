-- The tenant's totals as each scan left them, for the dashboard's trends (cost, savings, open findings per scan).
-- Written once when a scan is finalised, in its transaction. Kept past the scan's own retention (no foreign key):
-- a row is small, and a year of daily scans is a few hundred rows per tenant.
CREATE TABLE scan_totals (
    scan_id                       uuid PRIMARY KEY,
    tenant_id                     uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    finished_at                   timestamptz   NOT NULL,
    monthly_cost_usd              numeric(14, 2) NOT NULL,
    potential_monthly_savings_usd numeric(14, 2) NOT NULL,
    open_findings                 bigint        NOT NULL,
    -- Keys whose cost is unknown are not in monthly_cost_usd: a chart shows them rather than a lower cost.
    cost_unknown_keys             bigint        NOT NULL
);
CREATE INDEX scan_totals_by_tenant ON scan_totals (tenant_id, finished_at);

ALTER TABLE scan_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE scan_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scan_totals
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT ON scan_totals TO "${appRole}";
