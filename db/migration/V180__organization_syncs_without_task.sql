-- Scheduled organisation syncs used to run inside the tenant's recurring task, with no task of their own: one whose
-- hub instance died stayed QUEUED or RUNNING with nothing left to end it, and its organisation was never synced again
-- (every firing skipped it, DELETE answered 409). Every sync now commits with a task that carries its id; the syncs
-- that have none are ended here, so the next firing, POST .../sync or DELETE goes ahead.
UPDATE organization_syncs s
   SET status = 'FAILED', finished_at = now(), error_code = 'INTERRUPTED',
       error_message = 'The hub instance running this sync stopped before it ended; the next sync brings the'
           || ' accounts in line'
 WHERE s.status IN ('QUEUED', 'RUNNING')
   AND NOT EXISTS (SELECT FROM scheduled_tasks t
                    WHERE t.task_name = 'organization-sync' AND t.task_instance = s.id::text);
