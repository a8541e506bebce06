"""ARM's management-group descendants: GET /providers/Microsoft.Management/managementGroups/
{groupId}/descendants lists every group and subscription below a group, as the REST reference
and its example show (api-version 2023-04-01, GetDescendants.json: subscriptions typed
`Microsoft.Management/managementGroups/subscriptions`, each with its parent group's id):
https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/get-descendants

It needs Microsoft.Management/managementGroups/read on the group, not a role on each
subscription (Azure/azure-rest-api-specs#9140: Get Descendants works with that permission
alone), so it lists subscriptions the identity cannot read. A group the identity may not
read, or one that does not exist, is 403 AuthorizationFailed "... or the scope is invalid"
(pulumi/pulumi-azure-native#553 quotes the answer).
"""

from __future__ import annotations

import re

from aiohttp import web

from auditor.emulator.http.errors import error_response, json_response
from auditor.emulator.http.state import HttpState
from auditor.estate.management_groups import Member

_DESCENDANTS = re.compile(r"^/providers/microsoft\.management/managementgroups/([^/]+)/descendants$")
_GROUP_TYPE = "Microsoft.Management/managementGroups"
_GROUP_PREFIX = "/providers/Microsoft.Management/managementGroups/"


def handle_management_groups(request: web.Request, path: str, state: HttpState) -> web.Response | None:
    """The descendants of a group, or None when `path` is no management-group call."""
    match = _DESCENDANTS.match(path.lower())
    if match is None:
        return None
    group = path.split("/")[4]
    hierarchy = state.estate.hierarchy
    if request.method != "GET":
        return error_response("arm", 405, f"The requested resource does not support http method '{request.method}'.",
                              code="MethodNotAllowed")
    if not hierarchy.exists(group) or not hierarchy.readable(group):
        return error_response(
            "arm", 403, f"The client does not have authorization to perform action "
            f"'Microsoft.Management/managementGroups/read' over scope '{_GROUP_PREFIX}{group}' "
            "or the scope is invalid. If access was recently granted, please refresh your credentials.",
            code="AuthorizationFailed")
    return json_response({"value": [_entry(m) for m in hierarchy.descendants(group)], "nextLink": None})


def _entry(member: Member) -> dict[str, object]:
    parent = {"id": f"{_GROUP_PREFIX}{member.parent}"}
    if member.kind == "group":
        return {"id": f"{_GROUP_PREFIX}{member.name}", "type": _GROUP_TYPE, "name": member.name,
                "properties": {"displayName": member.display_name, "parent": parent}}
    return {"id": f"/subscriptions/{member.name}", "type": f"{_GROUP_TYPE}/subscriptions", "name": member.name,
            "properties": {"displayName": member.display_name, "parent": parent}}
