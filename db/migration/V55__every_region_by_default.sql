-- An empty region list means every region the spoke role can reach: the commercial regions enabled by default plus the
-- opt-in regions the account enabled (a region it has not enabled is SKIPPED at each scan, one cheap call), expanded
-- when a scan is launched, so a region enabled later is scanned from the next scan on. A tenant's default_regions stay
-- an optional restriction for accounts registered without regions; new tenants have none.
ALTER TABLE tenant_settings DROP CONSTRAINT tenant_settings_default_regions_check;
ALTER TABLE accounts DROP CONSTRAINT accounts_regions_check;
