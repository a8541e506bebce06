"""Microsoft Graph, minimal: GET /v1.0/applications and GET /v1.0/servicePrincipals (paged with
@odata.nextLink, $top, $select), from the estate's objects of type microsoft.graph/applications and
microsoft.graph/servicePrincipals, for Entra redirect and reply URIs.

Both lists page the same way (learn.microsoft.com/en-us/graph/paging: a `$skiptoken` in
`@odata.nextLink`, default page 100, `$top` 1..999; learn.microsoft.com/en-us/graph/api/
serviceprincipal-list)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response, json_response
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, next_link, page, read_token
from auditor.emulator.http.state import HttpState

GRAPH_APPLICATION_TYPE = "microsoft.graph/applications"
GRAPH_SERVICE_PRINCIPAL_TYPE = "microsoft.graph/serviceprincipals"
# The collection's path (lower-case) -> its name as Graph spells it, and the estate type it serves.
_COLLECTIONS = {"/v1.0/applications": ("applications", GRAPH_APPLICATION_TYPE),
                "/v1.0/serviceprincipals": ("servicePrincipals", GRAPH_SERVICE_PRINCIPAL_TYPE)}
PAGE_SIZE = 100
MAX_TOP = 999


def applications(state: HttpState) -> dict[str, list[dict[str, Any]]]:
    """Each Graph collection's objects by estate type, ordered by id, indexed once."""
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for _, t in _COLLECTIONS.values()}
    for o in state.estate.arm:
        kind = str(o.get("type", "")).lower()
        if kind in by_type:
            by_type[kind].append({k: v for k, v in o.items() if k != "type"})
    return {t: sorted(objs, key=lambda a: str(a.get("id", "")).lower()) for t, objs in by_type.items()}


async def handle_graph(request: web.Request, state: HttpState,
                       collections: dict[str, list[dict[str, Any]]]) -> web.Response:
    faulted = await fault_response(state, "graph", str(request.url))
    if faulted is not None:
        return faulted
    check = state.tokens.check(request, {state.cloud.graph.rstrip("/").lower()})
    if check is not TokenCheck.OK:
        message = "Access token is empty." if check is TokenCheck.MISSING else "Access token validation failure."
        return error_response("graph", 401, message, code="InvalidAuthenticationToken",
                              headers={"WWW-Authenticate": 'Bearer realm="", authorization_uri='
                                       '"https://login.microsoftonline.com/common/oauth2/authorize"'})
    path = request.path.rstrip("/").lower()
    if request.method != "GET" or path not in _COLLECTIONS:
        return error_response("graph", 400, f"Resource not found for the segment '{request.path}'.",
                              code="BadRequest")
    name, kind = _COLLECTIONS[path]
    apps = collections[kind]
    size = PAGE_SIZE
    top = request.query.get("$top")
    if top is not None:
        if not top.isdigit() or not 1 <= int(top) <= MAX_TOP:
            return error_response("graph", 400, f"Invalid page size specified: '{top}'.", code="Request_BadRequest")
        size = int(top)
    scope = fingerprint("graph", path)
    token = request.query.get("$skiptoken")
    try:
        offset = read_token(token, scope) if token else 0
    except BadSkipToken as exc:
        return error_response("graph", 400, str(exc), code="Request_BadRequest")
    chunk, following = page(apps, offset, size)
    select = [s.strip() for s in request.query.get("$select", "").split(",") if s.strip()]
    if select:
        chunk = [{k: v for k, v in a.items() if k in select or k == "id"} for a in chunk]
    base = f"https://{request.host}/v1.0/{name}"
    body: dict[str, Any] = {"@odata.context": f"https://{request.host}/v1.0/$metadata#{name}", "value": chunk}
    if following is not None:
        body["@odata.nextLink"] = next_link(base, dict(request.query), "$skiptoken", make_token(following, scope))
    return json_response(body)
