-- The weekly report (report.weekly): when each tenant gets it, and which weeks it has had.
--
-- The day and time are the tenant's, read in its schedule's time zone (schedule_timezone), so a team gets the report
-- on its own Monday morning. A week is reported exactly once: the row for (tenant, ISO week) is inserted in the same
-- transaction as the report's outbox rows, so two hub instances, or a run after a crash, cannot report it twice.

ALTER TABLE tenant_settings
    ADD COLUMN weekly_report_day  text NOT NULL DEFAULT 'MONDAY'
        CHECK (weekly_report_day IN ('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY')),
    ADD COLUMN weekly_report_time time NOT NULL DEFAULT '08:00';

CREATE TABLE notification_weekly_reports (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    week        text        NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'), -- ISO week of the local day it was due
    event_id    uuid        NOT NULL,                                      -- what every channel's receiver sees
    due_at      timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, week)
);

ALTER TABLE notification_weekly_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_weekly_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_weekly_reports
    USING (tenant_id = hub_current_tenant()) WITH CHECK (tenant_id = hub_current_tenant());

GRANT SELECT, INSERT ON notification_weekly_reports TO "${appRole}";

-- The tenants that have an enabled channel subscribed to report.weekly, with when they want it and the last week they
-- had: what the periodic check needs to find the reports that are due, across tenants. Reads nothing else.
CREATE FUNCTION hub_weekly_report_schedules()
    RETURNS TABLE (tenant_id uuid, timezone text, day text, at_time time, last_week text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT s.tenant_id, s.schedule_timezone, s.weekly_report_day, s.weekly_report_time,
           (SELECT max(r.week) FROM notification_weekly_reports r WHERE r.tenant_id = s.tenant_id)
      FROM tenant_settings s
     WHERE EXISTS (SELECT 1 FROM notification_channels c
                    WHERE c.tenant_id = s.tenant_id AND c.enabled AND 'report.weekly' = ANY (c.events))
     ORDER BY s.tenant_id
$$;

REVOKE ALL ON FUNCTION hub_weekly_report_schedules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_weekly_report_schedules() TO "${appRole}";
