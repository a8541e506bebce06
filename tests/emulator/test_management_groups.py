"""Management groups as Azure serves them: each behaviour with its source.

- GET /providers/Microsoft.Management/managementGroups/{groupId}/descendants lists every group
  and subscription below the group, each with its parent group's id; subscriptions are typed
  `Microsoft.Management/managementGroups/subscriptions` in the REST example (GetDescendants.json,
  api-version 2023-04-01, Azure/azure-rest-api-specs) and "/subscriptions" in the reference:
  https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/get-descendants
- It needs Microsoft.Management/managementGroups/read on the group, not a role on each
  subscription: https://github.com/Azure/azure-rest-api-specs/issues/9140 ("the Get and Get
  Descendants calls still work fine with the custom role" holding only that action).
- A group the caller may not read (or that does not exist): 403 AuthorizationFailed "does not have
  authorization to perform action 'Microsoft.Management/managementGroups/read' over scope
  '/providers/Microsoft.Management/managementGroups/mg-test' or the scope is invalid":
  https://github.com/pulumi/pulumi-azure-native/issues/553
- New subscriptions land in the tenant root group, whose id is the tenant id:
  https://learn.microsoft.com/en-us/azure/governance/management-groups/overview
- Resource Graph with `managementGroups` reads the subscriptions under those groups that the
  caller can read, leaving out the others without an error (as for `subscriptions`):
  https://learn.microsoft.com/en-us/rest/api/azureresourcegraph/resourcegraph/resources/resources
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from https_support import SUB1, SUB2, SUB3, TENANT, azure, bearer, fetch, resource, write_estate

from auditor.emulator import Emulator
from auditor.errors import EstateError
from auditor.estate.load import load_estate

ARM = "https://management.azure.com"
ARM_SCOPE = "https://management.azure.com/.default"
GROUPS = [{"name": "mg-corp", "displayName": "Corp", "subscriptions": [SUB1]},
          {"name": "mg-legacy", "parent": "mg-corp", "subscriptions": [SUB2]},
          {"name": "mg-secret", "access": "none"}]


def _estate(root: Path) -> Path:
    arm = [resource(s, "rg", "Microsoft.Storage/storageAccounts", f"st{s[-1]}") for s in (SUB1, SUB2, SUB3)]
    return write_estate(root, arm=arm, subscriptions=(SUB1, SUB2, SUB3), hidden=(SUB2,), management_groups=GROUPS)


async def _get(endpoints: Any, path: str) -> tuple[int, dict[str, Any]]:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, ARM_SCOPE)
        status, _, text = await fetch(factory.session, "GET", f"{ARM}{path}?api-version=2023-04-01", headers=auth)
    return status, json.loads(text)


async def _graph(endpoints: Any, groups: list[str]) -> tuple[int, dict[str, Any]]:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, ARM_SCOPE)
        status, _, text = await fetch(
            factory.session, "POST", f"{ARM}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
            headers=auth, json_body={"managementGroups": groups, "query": "Resources | project id, subscriptionId"})
    return status, json.loads(text)


async def test_descendants_list_groups_and_subscriptions_with_their_parents(tmp_path: Path) -> None:
    with Emulator(_estate(tmp_path)) as endpoints:
        status, body = await _get(endpoints, "/providers/Microsoft.Management/managementGroups/mg-corp/descendants")
    assert status == 200 and body["nextLink"] is None
    entries = [(e["id"], e["type"], e["properties"]["parent"]["id"].rsplit("/", 1)[-1]) for e in body["value"]]
    assert entries == [
        (f"/subscriptions/{SUB1}", "Microsoft.Management/managementGroups/subscriptions", "mg-corp"),
        ("/providers/Microsoft.Management/managementGroups/mg-legacy", "Microsoft.Management/managementGroups",
         "mg-corp"),
        # Listed though the identity holds no role on it: the hierarchy needs only the group's read.
        (f"/subscriptions/{SUB2}", "Microsoft.Management/managementGroups/subscriptions", "mg-legacy"),
    ]
    assert body["value"][0]["name"] == SUB1 and body["value"][0]["properties"]["displayName"] == f"sub {SUB1[-1]}"


async def test_the_tenant_root_group_holds_every_unplaced_subscription_and_group(tmp_path: Path) -> None:
    with Emulator(_estate(tmp_path)) as endpoints:
        status, body = await _get(endpoints, f"/providers/Microsoft.Management/managementGroups/{TENANT}/descendants")
    assert status == 200
    subs = {e["name"] for e in body["value"] if e["id"].startswith("/subscriptions/")}
    assert subs == {SUB1, SUB2, SUB3}
    top = {e["name"] for e in body["value"] if e["properties"]["parent"]["id"].endswith(TENANT)}
    assert top == {"mg-corp", "mg-secret", SUB3}


@pytest.mark.parametrize("group", ["mg-secret", "mg-nowhere"])
async def test_a_group_not_readable_or_not_there_is_403_authorization_failed(tmp_path: Path, group: str) -> None:
    with Emulator(_estate(tmp_path)) as endpoints:
        status, body = await _get(endpoints, f"/providers/Microsoft.Management/managementGroups/{group}/descendants")
    assert status == 403 and body["error"]["code"] == "AuthorizationFailed"
    assert "Microsoft.Management/managementGroups/read" in body["error"]["message"]
    assert "or the scope is invalid" in body["error"]["message"]


async def test_resource_graph_reads_only_the_readable_subscriptions_under_the_groups(tmp_path: Path) -> None:
    with Emulator(_estate(tmp_path)) as endpoints:
        status, body = await _graph(endpoints, ["mg-corp"])
        nothing_status, nothing = await _graph(endpoints, ["mg-nowhere"])
    assert status == 200
    assert {r["subscriptionId"] for r in body["data"]} == {SUB1}          # SUB2 is hidden: left out, no error
    assert nothing_status == 400 and nothing["error"]["code"] == "BadRequest"
    assert nothing["error"]["details"][0]["code"] == "NoValidSubscriptionsInQueryRequest"


def test_a_bad_hierarchy_is_one_clear_estate_error(tmp_path: Path) -> None:
    cases = {
        "parent": [{"name": "mg-a", "parent": "mg-missing"}],
        "cycle": [{"name": "mg-a", "parent": "mg-b"}, {"name": "mg-b", "parent": "mg-a"}],
        "access": [{"name": "mg-a", "access": "read"}],
        "name": [{"displayName": "no name"}],
    }
    for case, groups in cases.items():
        root = write_estate(tmp_path / case, management_groups=groups)
        with pytest.raises(EstateError, match="estate.json"):
            load_estate(root)
