"""Reads a simulated organisation through botocore, the AWS SDK for Python's core, as a second client besides the
Java one: its parsers check the simulator's wire shapes (JSON 1.1 members, timestamps, error codes) against the
Organizations API model it ships. Prints one JSON document for OrganizationsBotocoreIntegrationTest to check.

    python3 organizations_wire.py ENDPOINT ACCESS_KEY SECRET_KEY [SESSION_TOKEN]
"""
import json
import sys

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint, access_key, secret_key = sys.argv[1:4]
    token = sys.argv[4] if len(sys.argv) > 4 else None
    client = botocore.session.get_session().create_client(
        "organizations", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, aws_session_token=token,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}))
    out = {"organization": client.describe_organization()["Organization"]}
    roots = [r for page in client.get_paginator("list_roots").paginate() for r in page["Roots"]]
    out["roots"] = roots
    units, accounts, pages = {}, {}, 0
    queue = [roots[0]["Id"]]
    while queue:
        parent = queue.pop(0)
        for page in client.get_paginator("list_organizational_units_for_parent").paginate(
                ParentId=parent, PaginationConfig={"PageSize": 2}):
            pages += 1
            for unit in page["OrganizationalUnits"]:
                units[unit["Id"]] = {"name": unit["Name"], "parent": parent, "arn": unit["Arn"]}
                queue.append(unit["Id"])
        for page in client.get_paginator("list_accounts_for_parent").paginate(
                ParentId=parent, PaginationConfig={"PageSize": 2}):
            pages += 1
            for account in page["Accounts"]:
                accounts[account["Id"]] = {"parent": parent, "name": account["Name"], "state": account["State"],
                                           "status": account.get("Status"),
                                           "joined": account["JoinedTimestamp"].isoformat()}
    out["units"], out["accounts"], out["treePages"] = units, accounts, pages
    listed = [a["Id"] for page in client.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 3})
              for a in page["Accounts"]]
    out["listAccounts"] = listed
    some = sorted(accounts)[-1]
    out["describeAccount"] = client.describe_account(AccountId=some)["Account"]["Id"]
    out["parents"] = {a: [p["Id"] + ":" + p["Type"] for p in client.list_parents(ChildId=a)["Parents"]]
                      for a in sorted(accounts)}
    out["tags"] = {a: {t["Key"]: t["Value"] for page in client.get_paginator("list_tags_for_resource").paginate(
        ResourceId=a) for t in page["Tags"]} for a in sorted(accounts)}
    errors = {}
    for name, call in [
            ("maxResults21", lambda: client.list_accounts(MaxResults=21)),
            ("badToken", lambda: client.list_accounts(NextToken="not-a-token")),
            ("unknownParent", lambda: client.list_accounts_for_parent(ParentId="ou-zzzz-zzzzzzzz")),
            ("unknownAccount", lambda: client.describe_account(AccountId="999999999999")),
            ("unknownChild", lambda: client.list_parents(ChildId="999999999999"))]:
        try:
            call()
            errors[name] = None
        except ClientError as e:
            errors[name] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                            "reason": e.response.get("Reason"), "message": e.response["Error"]["Message"]}
    out["errors"] = errors
    print(json.dumps(out, default=str, sort_keys=True))


if __name__ == "__main__":
    main()
