"""Microsoft Graph, minimal: GET /v1.0/applications (paged with @odata.nextLink, $top, $select),
from the estate's objects of type microsoft.graph/applications, for Entra redirect URIs."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response, json_response
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, next_link, page, read_token
from auditor.emulator.http.state import HttpState

GRAPH_APPLICATION_TYPE = "microsoft.graph/applications"
PAGE_SIZE = 100
MAX_TOP = 999


def applications(state: HttpState) -> list[dict[str, Any]]:
    apps = [{k: v for k, v in o.items() if k != "type"} for o in state.estate.arm
            if str(o.get("type", "")).lower() == GRAPH_APPLICATION_TYPE]
    return sorted(apps, key=lambda a: str(a.get("id", "")).lower())


async def handle_graph(request: web.Request, state: HttpState, apps: list[dict[str, Any]]) -> web.Response:
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
    if request.method != "GET" or path != "/v1.0/applications":
        return error_response("graph", 400, f"Resource not found for the segment '{request.path}'.",
                              code="BadRequest")
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
    base = f"https://{request.host}/v1.0/applications"
    body: dict[str, Any] = {"@odata.context": f"https://{request.host}/v1.0/$metadata#applications", "value": chunk}
    if following is not None:
        body["@odata.nextLink"] = next_link(base, dict(request.query), "$skiptoken", make_token(following, scope))
    return json_response(body)
