"""Azure Resource Graph: POST /providers/Microsoft.ResourceGraph/resources runs the request's
real KQL (duckdb-kql) over the estate's resources, paged with $skipToken, at most 1000 rows a page."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import duckdb
import duckdb_kql
from aiohttp import web

from auditor.emulator.http.arm import arm_audiences, unauthorized
from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response, json_response
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, read_token
from auditor.emulator.http.state import HttpState
from auditor.estate.load import type_from_id

MAX_TOP = 1000
QUOTA_WINDOW_SECONDS = 5.0

# Child resources ARG does not index as rows of `resources`.
_HIDDEN_TYPES = frozenset({
    "microsoft.web/sites/config", "microsoft.web/sites/slots/config",
    "microsoft.web/sites/hostnamebindings", "microsoft.web/sites/slots/hostnamebindings",
    "microsoft.resources/resourcegroups", "microsoft.resources/subscriptions",
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


class QuotaWindow:
    """ARG's per-user quota (15 queries per 5 s), reported in headers; throttling itself
    only happens when faults.json asks for it."""

    def __init__(self, quota: int = 15) -> None:
        self._quota = quota
        self._start = time.monotonic()
        self._used = 0
        self._lock = threading.Lock()

    def headers(self) -> dict[str, str]:
        with self._lock:
            now = time.monotonic()
            if now - self._start >= QUOTA_WINDOW_SECONDS:
                self._start, self._used = now, 0
            self._used += 1
            remaining = max(self._quota - self._used, 0)
            resets = max(QUOTA_WINDOW_SECONDS - (now - self._start), 0.0)
        return {"x-ms-user-quota-remaining": str(remaining),
                "x-ms-user-quota-resets-after": time.strftime("%H:%M:%S", time.gmtime(round(resets)))}


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


def _bad_query(message: str) -> web.Response:
    return error_response(
        "arg", 400, f"Please provide below info when asking for support: timestamp = "
        f"{dt.datetime.now(dt.UTC).isoformat()}, correlationId = {uuid.uuid4()}.", code="BadRequest",
        details=[{"code": "InvalidQuery", "message": "Query is invalid. Please refer to the documentation for the "
                  "Azure Resource Graph service and fix the error before retrying."},
                 {"code": "ParserFailure", "message": message}])


async def handle_resource_graph(request: web.Request, state: HttpState, table: ResourceTable,
                                quota: QuotaWindow) -> web.Response:
    check = state.tokens.check(request, arm_audiences(state))
    if check is not TokenCheck.OK:
        return unauthorized(check)
    if "api-version" not in {k.lower() for k in request.query}:
        return error_response("arg", 400, "The api-version query parameter (?api-version=) is required.",
                              code="MissingApiVersionParameter")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_response("arg", 400, "The request body is not valid JSON.", code="InvalidRequestContent")
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return error_response("arg", 400, "The request must carry a query.", code="InvalidRequestContent")
    kql: str = body["query"]
    estate_subs = state.estate.subscription_ids
    asked = body.get("subscriptions")
    if asked:
        wanted = {str(s).lower() for s in asked}
        subs = [s for s in estate_subs if s.lower() in wanted]
    else:   # management groups, or nothing: every subscription the caller can see
        subs = list(estate_subs)
    faulted = await fault_response(state, "arg", f"{request.url} {kql} {' '.join(subs)}")
    if faulted is not None:
        return faulted
    options = body.get("options") or {}
    top = options.get("$top", MAX_TOP)
    skip = options.get("$skip", 0) or 0
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP or not isinstance(skip, int) or skip < 0:
        return error_response("arg", 400, f"$top must be between 1 and {MAX_TOP} and $skip not negative.",
                              code="BadRequest")
    scope = fingerprint("arg", kql, ",".join(sorted(s.lower() for s in subs)))
    token = options.get("$skipToken")
    try:
        offset = read_token(str(token), scope) if token else skip
    except BadSkipToken as exc:
        return error_response("arg", 400, str(exc), code="InvalidSkipToken")
    loop = asyncio.get_running_loop()
    try:
        columns, types, rows = await loop.run_in_executor(None, table.run, kql, subs)
    except (duckdb_kql.KqlError, duckdb.Error) as exc:
        return _bad_query(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
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
    return json_response(response, headers=quota.headers())


def _facet_unsupported(facet: Any) -> dict[str, Any]:
    expression = facet.get("expression", "") if isinstance(facet, dict) else ""
    return {"expression": expression, "resultType": "FacetError",
            "errors": [{"code": "NotSupported", "message": "The estate emulator does not compute facets."}]}
