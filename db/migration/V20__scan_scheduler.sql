-- The scan scheduler: db-scheduler's queue, the index behind "is a scan of this account running?", and the narrow
-- cross-tenant functions the scheduler needs (start-up reconciliation of schedules, purge of old scans).

-- db-scheduler's table, exactly as the library documents it for PostgreSQL (version 16.x, with priority). It is the
-- hub's own work queue, not tenant data: no row-level security. Every task's data carries its tenant id and the
-- task sets the tenant context before touching tenant tables.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO "${appRole}";

-- Scans that have not ended: checked by every scan launch (one running scan per account) and small by nature.
CREATE INDEX scans_active ON scans (tenant_id, created_at DESC) WHERE status IN ('QUEUED', 'RUNNING');

-- Every tenant's scan schedule, for the start-up reconciliation (a tenant's schedule task exists exactly when its
-- schedule is enabled). Reads nothing else of a tenant.
CREATE FUNCTION hub_scan_schedules()
    RETURNS TABLE (tenant_id uuid, cron text, timezone text, enabled boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT s.tenant_id, s.schedule_cron, s.schedule_timezone, s.schedule_enabled
      FROM tenant_settings s
     ORDER BY s.tenant_id
$$;

-- Deletes at most p_limit ended scans (their targets cascade) that finished before p_before, oldest first; returns how
-- many it deleted so the caller can repeat until none are left without holding long locks.
CREATE FUNCTION hub_purge_scans(p_before timestamptz, p_limit int)
    RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    deleted int;
BEGIN
    DELETE FROM scans
     WHERE id IN (SELECT id FROM scans
                   WHERE status IN ('SUCCEEDED', 'PARTIAL', 'FAILED') AND finished_at < p_before
                   ORDER BY finished_at
                   LIMIT p_limit);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END $$;
CREATE INDEX scans_finished ON scans (finished_at) WHERE status IN ('SUCCEEDED', 'PARTIAL', 'FAILED');

REVOKE ALL ON FUNCTION hub_scan_schedules() FROM PUBLIC;
REVOKE ALL ON FUNCTION hub_purge_scans(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_scan_schedules() TO "${appRole}";
GRANT EXECUTE ON FUNCTION hub_purge_scans(timestamptz, int) TO "${appRole}";
