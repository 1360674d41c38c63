-- HUB_SCAN_MAX_REGIONS_PER_ACCOUNT caps the regions of an AWS account scanned at once, whichever tenants registered
-- it: two tenants may register the same AWS account (a partner and the customer itself), and AWS's quotas are the
-- account's. A target's claim counts the RUNNING targets of every registration of its AWS account through this
-- function, as row-level security would show it its own tenant's only; it answers a count and nothing else of them.
CREATE INDEX accounts_aws_account ON accounts (aws_account_id);

-- The regions of the AWS account RUNNING now, on any instance and for any tenant, but the target itself.
CREATE FUNCTION hub_running_regions(p_aws_account_id text, p_account uuid, p_scan uuid, p_region text)
    RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
    SELECT count(*)
      FROM accounts a JOIN scan_targets t ON t.account_id = a.id
     WHERE a.aws_account_id = p_aws_account_id AND t.status = 'RUNNING'
       AND NOT (t.account_id = p_account AND t.scan_id = p_scan AND t.region = p_region)
$$;
REVOKE ALL ON FUNCTION hub_running_regions(text, uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub_running_regions(text, uuid, uuid, text) TO "${appRole}";
