"""Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources runs the request's
real KQL (duckdb-kql) over the estate's resources, paged with $skipToken, at most 1000 rows a page.

A query runs once: its result is kept and its $skipToken pages read the kept result. As in
Azure, subscriptions the identity holds no role on are silently left out, and a query naming
only such subscriptions answers 400 NoValidSubscriptionsInQueryRequest; an answer over the
estate's `arg_max_response_bytes` is 400 ResponsePayloadTooLarge; the per-identity quota
(throttle.py) answers 429 without Retry-After.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import duckdb_kql
from aiohttp import web

from auditor.emulator.http.arm import arm_audiences, unauthorized
from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, read_token
from auditor.emulator.http.state import HttpState
from auditor.emulator.http.throttle import QuotaWindow
from auditor.normalise.validate import type_from_id

MAX_TOP = 1000
KEPT_RESULTS = 16        # query results kept for their $skipToken pages, newest first

# Child resources ARG does not index as rows of `resources`.
_HIDDEN_TYPES = frozenset({
    "microsoft.web/sites/config", "microsoft.web/sites/slots/config",
    "microsoft.web/sites/hostnamebindings", "microsoft.web/sites/slots/hostnamebindings",
    "microsoft.resources/resourcegroups", "microsoft.resources/subscriptions",
    "microsoft.keyvault/vaults/secrets",
    # Diagnostic settings are extension resources ARM lists per resource, not rows of `resources`.
    "microsoft.insights/diagnosticsettings",
})
_RECORD_TYPES = frozenset({"a", "aaaa", "caa", "cname", "mx", "ns", "ptr", "soa", "srv", "txt"})
_DYNAMIC = ("sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation")
_COLUMNS = ("id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy")


def type_of(obj: dict[str, Any]) -> str:
    """The resource type as Resource Graph reports it: read from the id, lower-case.

    A body's own `type` may differ in spelling or number (the Front Door example says
    `Microsoft.Network/frontDoor`); Resource Graph's column always follows the id."""
    derived = type_from_id(str(obj["id"]))
    return (derived or str(obj["type"])).lower()

def is_indexed(obj: dict[str, Any]) -> bool:
    oid, otype = str(obj["id"]).lower(), type_of(obj)
    if not oid.startswith("/subscriptions/") or otype in _HIDDEN_TYPES or otype.startswith("microsoft.graph/"):
        return False
    parts = otype.split("/")
    is_record = len(parts) == 3 and parts[1] in ("dnszones", "privatednszones") and parts[2] in _RECORD_TYPES
    return not is_record


def _row(obj: dict[str, Any], tenant_id: str) -> tuple[Any, ...]:
    parts = str(obj["id"]).split("/")
    sub = parts[2] if len(parts) > 2 else ""
    rg = parts[4].lower() if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""
    plain = {"id": obj["id"], "name": obj.get("name", parts[-1]), "type": type_of(obj),
             "tenantId": tenant_id, "kind": obj.get("kind") or "", "location": obj.get("location") or "",
             "resourceGroup": rg, "subscriptionId": sub, "managedBy": obj.get("managedBy") or ""}
    dynamic = [json.dumps(obj.get(c)) if obj.get(c) is not None else None for c in _DYNAMIC]
    return tuple(plain[c] for c in _COLUMNS) + tuple(dynamic)


class ResourceTable:
    """The estate's resources in DuckDB, built once; each query gets its own cursor
    and sees only the subscriptions it asked for."""

    def __init__(self, objects: Iterable[dict[str, Any]], containers: Iterable[dict[str, Any]],
                 tenant_id: str) -> None:
        self._con = duckdb_kql.connect()
        self._con.execute("SET threads = 1")   # one thread keeps row order stable between pages
        columns = ", ".join([f'"{c}" VARCHAR' for c in _COLUMNS] + [f'"{c}" JSON' for c in _DYNAMIC])
        marks = ", ".join("?" * (len(_COLUMNS) + len(_DYNAMIC)))
        for table, rows in (("_all_resources", objects), ("_all_resourcecontainers", containers)):
            self._con.execute(f"CREATE TABLE {table} ({columns})")
            ordered = sorted((r for r in rows), key=lambda o: str(o["id"]).lower())
            if ordered:
                self._con.executemany(f"INSERT INTO {table} VALUES ({marks})",
                                      [_row(o, tenant_id) for o in ordered])
        self._lock = threading.Lock()

    def run(self, kql: str, subscriptions: list[str]) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
        with self._lock:
            cursor = self._con.cursor()
        try:
            wanted = ", ".join("'" + s.replace("'", "''").lower() + "'" for s in subscriptions) or "NULL"
            for table in ("resources", "resourcecontainers"):
                cursor.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM _all_{table} "
                               f"WHERE lower(subscriptionId) IN ({wanted})")
            relation = duckdb_kql.query(cursor, kql)
            return list(relation.columns), [str(t) for t in relation.types], relation.fetchall()
        finally:
            cursor.close()

    def close(self) -> None:
        with self._lock:
            self._con.close()


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


class ResultStore:
    """The results of recent queries, by what was asked; a $skipToken page reads its query's
    kept result instead of running the query again. Bounded: the oldest result goes first
    (a token for it then runs the query again over the same, unchanging estate)."""

    def __init__(self, size: int = KEPT_RESULTS) -> None:
        self._size = size
        self._kept: OrderedDict[str, QueryResult] = OrderedDict()
        self._lock = threading.Lock()
        self.runs = 0

    def get(self, scope: str) -> QueryResult | None:
        with self._lock:
            found = self._kept.get(scope)
            if found is not None:
                self._kept.move_to_end(scope)
            return found

    def put(self, scope: str, result: QueryResult) -> None:
        with self._lock:
            self.runs += 1
            self._kept[scope] = result
            self._kept.move_to_end(scope)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)


def _value(value: Any, type_name: str) -> Any:
    if value is None:
        return None
    if type_name == "JSON":
        return json.loads(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _column_type(type_name: str) -> str:
    if type_name == "JSON":
        return "object"
    if type_name in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT"):
        return "integer"
    if type_name in ("DOUBLE", "FLOAT") or type_name.startswith("DECIMAL"):
        return "number"
    if type_name == "BOOLEAN":
        return "boolean"
    if type_name.startswith("TIMESTAMP"):
        return "datetime"
    return "string"


def _bad_query(message: str, headers: dict[str, str]) -> web.Response:
    return error_response(
        "arg", 400, f"Please provide below info when asking for support: timestamp = "
        f"{dt.datetime.now(dt.UTC).isoformat()}, correlationId = {uuid.uuid4()}.", code="BadRequest",
        details=[{"code": "InvalidQuery", "message": "Query is invalid. Please refer to the documentation for the "
                  "Azure Resource Graph service and fix the error before retrying."},
                 {"code": "ParserFailure", "message": message}], headers=headers)


def _graph_error(status: int, code: str, message: str, headers: dict[str, str]) -> web.Response:
    return error_response(
        "arg", status, f"Please provide below info when asking for support: timestamp = "
        f"{dt.datetime.now(dt.UTC).isoformat()}, correlationId = {uuid.uuid4()}.", code="BadRequest",
        details=[{"code": code, "message": message}], headers=headers)


def _throttled(headers: dict[str, str]) -> web.Response:
    # No Retry-After: Resource Graph says when the quota resets in its own headers only.
    return error_response("arg", 429, "Too many requests. Please retry after the time given in "
                          "x-ms-user-quota-resets-after.", code="RateLimiting", headers=headers)


def _visible(state: HttpState, asked: Any, groups: Any = None) -> list[str]:
    """The subscriptions a query reads: those asked for, or those under the management groups
    asked for, or every one; never one the identity holds no role on."""
    hidden = state.estate.hidden_subscription_ids
    estate_subs = [s for s in state.estate.subscription_ids if s.lower() not in hidden]
    if asked:
        wanted = {str(s).lower() for s in asked}
    elif groups:
        hierarchy = state.estate.hierarchy
        wanted = {s.lower() for g in groups if hierarchy.exists(str(g)) for s in hierarchy.subscriptions_under(str(g))}
    else:
        return estate_subs
    return [s for s in estate_subs if s.lower() in wanted]


async def handle_resource_graph(request: web.Request, state: HttpState, table: ResourceTable,
                                quota: QuotaWindow, results: ResultStore) -> web.Response:
    check = state.tokens.check(request, arm_audiences(state))
    if check is not TokenCheck.OK:
        return unauthorized(check)
    if "api-version" not in {k.lower() for k in request.query}:
        return error_response("arg", 400, "The api-version query parameter (?api-version=) is required.",
                              code="MissingApiVersionParameter", headers=quota.headers())
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_response("arg", 400, "The request body is not valid JSON.", code="InvalidRequestContent",
                              headers=quota.headers())
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return error_response("arg", 400, "The request must carry a query.", code="InvalidRequestContent",
                              headers=quota.headers())
    admitted, quota_headers = quota.take()
    if not admitted:
        return _throttled(quota_headers)
    kql: str = body["query"]
    subs = _visible(state, body.get("subscriptions"), body.get("managementGroups"))
    faulted = await fault_response(state, "arg", f"{request.url} {kql} {' '.join(subs)}")
    if faulted is not None:
        return faulted
    if not subs:
        return _graph_error(400, "NoValidSubscriptionsInQueryRequest",
                            "There must be at least one subscription that is eligible to contain resources "
                            "and that the caller has access to.", quota_headers)
    options = body.get("options") or {}
    top = options.get("$top", MAX_TOP)
    skip = options.get("$skip", 0) or 0
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP or not isinstance(skip, int) or skip < 0:
        return error_response("arg", 400, f"$top must be between 1 and {MAX_TOP} and $skip not negative.",
                              code="BadRequest", headers=quota_headers)
    scope = fingerprint("arg", kql, ",".join(sorted(s.lower() for s in subs)))
    token = options.get("$skipToken")
    try:
        offset = read_token(str(token), scope) if token else skip
    except BadSkipToken as exc:
        return error_response("arg", 400, str(exc), code="InvalidSkipToken", headers=quota_headers)
    result = results.get(scope) if token else None
    if result is None:
        loop = asyncio.get_running_loop()
        try:
            columns, types, rows = await loop.run_in_executor(None, table.run, kql, subs)
        except (duckdb_kql.KqlError, duckdb.Error) as exc:
            return _bad_query(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, quota_headers)
        result = QueryResult(columns, types, rows)
        results.put(scope, result)
    text = _page_text(result, body, options, offset, top, scope)
    limit = state.estate.limits.arg_max_response_bytes
    size = len(text.encode())
    if size > limit:
        return _graph_error(400, "ResponsePayloadTooLarge",
                            f"Response payload size is {size}, and has exceeded the limit of {limit}. Please "
                            "consider querying less data at a time and make paginated call if needed.",
                            quota_headers)
    return web.Response(status=200, text=text, content_type="application/json",
                        headers={"x-ms-request-id": str(uuid.uuid4()), **quota_headers})


def _page_text(result: QueryResult, body: dict[str, Any], options: dict[str, Any], offset: int, top: int,
               scope: str) -> str:
    columns, types, rows = result.columns, result.types, result.rows
    chunk = rows[offset: offset + top]
    more = offset + top < len(rows)
    pageable = "id" in columns
    response: dict[str, Any] = {"totalRecords": len(rows), "count": len(chunk)}
    if options.get("resultFormat") == "table":
        response["data"] = {"columns": [{"name": c, "type": _column_type(t)} for c, t in zip(columns, types, strict=True)],
                            "rows": [[_value(v, t) for v, t in zip(r, types, strict=True)] for r in chunk]}
    else:
        response["data"] = [{c: _value(v, t) for c, v, t in zip(columns, r, types, strict=True)} for r in chunk]
    response["facets"] = [_facet_unsupported(f) for f in body.get("facets") or []]
    response["resultTruncated"] = "true" if more and not pageable else "false"
    if more and pageable:
        response["$skipToken"] = make_token(offset + top, scope)
    return json.dumps(response)


def _facet_unsupported(facet: Any) -> dict[str, Any]:
    expression = facet.get("expression", "") if isinstance(facet, dict) else ""
    return {"expression": expression, "resultType": "FacetError",
            "errors": [{"code": "NotSupported", "message": "The estate emulator does not compute facets."}]}
