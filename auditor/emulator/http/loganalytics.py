"""The Log Analytics query API: POST /v1/workspaces/{customerId}/query runs the request's real
KQL (duckdb-kql) over the estate's logs/<customerId>/<Table>.jsonl, within the request's
timespan, and answers in the API's table shape
(https://learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute).

Each workspace's tables are loaded once, on its first query. The resource-specific tables are
part of every workspace's schema, empty until something writes to them; AzureDiagnostics holds
only its common columns until a category adds its own. A table or column the workspace does
not have answers 400 SemanticError, as Log Analytics does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import re
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import duckdb_kql
from aiohttp import web

from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import fault_response, json_response
from auditor.emulator.http.state import HttpState
from auditor.estate.load import parse_timestamp

_QUERY_PATH = re.compile(r"^/v1/workspaces/([^/]+)/query/?$", re.IGNORECASE)
_IFEXISTS = re.compile(r'column_ifexists\(\s*"([A-Za-z0-9_]+)"\s*,\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)\s*\)')
_TABLE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)")
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE)


# Every workspace's schema holds these tables, with these columns among others (Azure Monitor
# table reference: https://learn.microsoft.com/azure/azure-monitor/reference/tables/appservicehttplogs,
# .../agwaccesslogs, .../apimanagementgatewaylogs, .../azurediagnostics).
PREDEFINED: dict[str, tuple[tuple[str, str], ...]] = {
    "AppServiceHTTPLogs": (("TimeGenerated", "TIMESTAMPTZ"), ("CsHost", "VARCHAR"), ("CIp", "VARCHAR"),
                           ("CsMethod", "VARCHAR"), ("CsUriStem", "VARCHAR"), ("ScStatus", "BIGINT"),
                           ("UserAgent", "VARCHAR"), ("_ResourceId", "VARCHAR")),
    "AGWAccessLogs": (("TimeGenerated", "TIMESTAMPTZ"), ("Host", "VARCHAR"), ("OriginalHost", "VARCHAR"),
                      ("ClientIp", "VARCHAR"), ("RequestUri", "VARCHAR"), ("HttpStatus", "BIGINT"),
                      ("ListenerName", "VARCHAR"), ("_ResourceId", "VARCHAR")),
    "ApiManagementGatewayLogs": (("TimeGenerated", "TIMESTAMPTZ"), ("Url", "VARCHAR"),
                                 ("CallerIpAddress", "VARCHAR"), ("ResponseCode", "BIGINT"), ("ApiId", "VARCHAR"),
                                 ("_ResourceId", "VARCHAR")),
    "AzureDiagnostics": (("TimeGenerated", "TIMESTAMPTZ"), ("Category", "VARCHAR"), ("ResourceId", "VARCHAR"),
                         ("ResourceType", "VARCHAR"), ("OperationName", "VARCHAR")),
}


class LogStore:
    """The estate's workspaces in DuckDB, each loaded on its first query."""

    def __init__(self, logs_dir: Path | None) -> None:
        self._dir = logs_dir
        self._con = duckdb_kql.connect()
        self._con.execute("SET threads = 1")
        self._con.execute("SET TimeZone = 'UTC'")       # KQL datetimes are UTC
        self._loaded: dict[str, dict[str, str]] = {}   # customerId -> Table -> DuckDB table
        self._schemas: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}   # customerId -> its tables' columns
        self._lock = threading.Lock()

    def has_workspace(self, customer_id: str) -> bool:
        return self._folder(customer_id) is not None

    def _folder(self, customer_id: str) -> Path | None:
        if self._dir is None or not re.fullmatch(r"[0-9A-Za-z-]+", customer_id):
            return None
        for child in self._dir.iterdir():
            if child.is_dir() and child.name.lower() == customer_id.lower():
                return child
        return None

    def _tables(self, customer_id: str) -> dict[str, str]:
        key = customer_id.lower()
        with self._lock:
            if key not in self._loaded:
                folder = self._folder(customer_id)
                tables: dict[str, str] = {}
                for i, path in enumerate(sorted(folder.glob("*.jsonl")) if folder else []):
                    name = f"ws_{len(self._loaded)}_{i}"
                    self._con.execute(
                        f"CREATE TABLE {name} AS SELECT * REPLACE (CAST(TimeGenerated AS TIMESTAMPTZ) AS "
                        f"TimeGenerated) FROM read_json_auto(?, format='newline_delimited')", [str(path)])
                    tables[path.stem] = name
                for table, columns in PREDEFINED.items():
                    if table not in tables:
                        name = f"ws_{len(self._loaded)}_{table.lower()}"
                        self._con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
                        tables[table] = name
                self._loaded[key] = tables
                self._schemas[key] = tuple(
                    (table, tuple(str(r[0]) for r in self._con.execute(f"DESCRIBE {stored}").fetchall()))
                    for table, stored in sorted(tables.items()))
            return self._loaded[key]

    def run(self, customer_id: str, kql: str, start: dt.datetime | None,
            end: dt.datetime | None) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
        tables = self._tables(customer_id)
        with self._lock:
            cursor = self._con.cursor()
        try:
            for table, stored in tables.items():
                window = []
                if start is not None:
                    window.append(f"TimeGenerated >= TIMESTAMPTZ '{start.isoformat()}'")
                if end is not None:
                    window.append(f"TimeGenerated <= TIMESTAMPTZ '{end.isoformat()}'")
                where = f" WHERE {' AND '.join(window)}" if window else ""
                cursor.execute(f'CREATE TEMP VIEW "{table}" AS SELECT * FROM {stored}{where}')
            schema = self._schemas[customer_id.lower()]
            sql = _translated(_resolve_ifexists(kql, dict(schema)), schema)
            relation = cursor.sql(str(sql), params=dict(sql.parameters)) if sql.parameters else cursor.sql(str(sql))
            return list(relation.columns), [str(t) for t in relation.types], relation.fetchall()
        finally:
            cursor.close()

    def close(self) -> None:
        with self._lock:
            self._con.close()


@functools.lru_cache(maxsize=256)
def _translated(kql: str, schema: tuple[tuple[str, tuple[str, ...]], ...]) -> Any:
    """KQL -> DuckDB SQL once per query text and table shapes: an audit sends the same query to
    every workspace."""
    return duckdb_kql.to_sql(kql, schema={table: list(columns) for table, columns in schema})


def _resolve_ifexists(kql: str, schema: dict[str, tuple[str, ...]]) -> str:
    """column_ifexists(name, default): the column where the queried table has it, else the default."""
    match = _TABLE.match(kql)
    columns = set(schema.get(match.group(1) if match else "", ()))
    return _IFEXISTS.sub(lambda m: m.group(1) if m.group(1) in columns else m.group(2), kql)


def _timespan(text: Any, as_of: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """ISO 8601 interval: start/end, start/duration, duration/end or a duration ending now."""
    if text is None:
        return None, None
    parts = str(text).split("/")
    if len(parts) == 1:
        return as_of - _duration(parts[0]), as_of
    first, second = parts[0], parts[1]
    if first.upper().startswith("P"):
        end = parse_timestamp(second)
        return end - _duration(first), end
    start = parse_timestamp(first)
    return (start, start + _duration(second)) if second.upper().startswith("P") else (start, parse_timestamp(second))


def _duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _error(status: int, code: str, message: str, inner: dict[str, Any] | None = None) -> web.Response:
    error: dict[str, Any] = {"message": message, "code": code}
    if inner:
        error["innererror"] = inner
    return json_response({"error": error}, status)


def _value(value: Any, type_name: str) -> Any:
    if value is None:
        return None
    if type_name == "JSON" or type_name.endswith("[]"):
        return value if isinstance(value, str) else json.dumps(value)   # dynamic: JSON text
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _column_type(type_name: str) -> str:
    if type_name == "JSON" or type_name.endswith("[]"):
        return "dynamic"
    if type_name in ("BIGINT", "HUGEINT"):
        return "long"
    if type_name in ("INTEGER", "SMALLINT", "TINYINT"):
        return "int"
    if type_name in ("DOUBLE", "FLOAT") or type_name.startswith("DECIMAL"):
        return "real"
    if type_name == "BOOLEAN":
        return "bool"
    if type_name.startswith("TIMESTAMP"):
        return "datetime"
    return "string"


async def handle_log_analytics(request: web.Request, state: HttpState, store: LogStore) -> web.Response:
    audience = state.cloud.log_analytics.rstrip("/").lower()
    check = state.tokens.check(request, {audience})
    if check is not TokenCheck.OK:
        return _error(401, "AuthorizationRequiredError" if check is TokenCheck.MISSING else "InvalidTokenError",
                      "Valid authentication was not provided")
    match = _QUERY_PATH.match(request.path)
    if match is None or request.method != "POST":
        return _error(404, "PathNotFoundError", f"The requested path does not exist: {request.path}")
    customer_id = match.group(1)
    faulted = await fault_response(state, "logs", f"{request.url} {customer_id}")
    if faulted is not None:
        return faulted
    owner = _workspace_subscription(state, customer_id)
    if owner is None and not store.has_workspace(customer_id):
        return _error(404, "WorkspaceNotFoundError", f"Workspace {customer_id} could not be found.")
    if _no_access(state, owner):
        return _error(403, "InsufficientAccessError",
                      "The provided credentials have insufficient access to perform the requested operation")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "BadArgumentError", "The request body is not valid JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _error(400, "BadArgumentError", "The request had some invalid properties: query is required.")
    try:
        start, end = _timespan(body.get("timespan"), state.estate.as_of)
    except ValueError as exc:
        return _error(400, "BadArgumentError", f"The request had some invalid properties: {exc}")
    loop = asyncio.get_running_loop()
    try:
        columns, types, rows = await loop.run_in_executor(None, store.run, customer_id, body["query"], start, end)
    except (duckdb_kql.KqlError, duckdb.Error) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _error(400, "BadArgumentError", "The request had some invalid properties",
                      {"code": "SemanticError", "message": "A semantic error occurred.",
                       "innererror": {"code": "SEM0100", "message": first}})
    return json_response({"tables": [{
        "name": "PrimaryResult",
        "columns": [{"name": c, "type": _column_type(t)} for c, t in zip(columns, types, strict=True)],
        "rows": [[_value(v, t) for v, t in zip(r, types, strict=True)] for r in rows],
    }]})


def _workspace_subscription(state: HttpState, customer_id: str) -> str | None:
    """The subscription of the ARM workspace with this customerId; None when arm/ has none."""
    for obj in state.estate.arm:
        if str(obj.get("type", "")).lower() != "microsoft.operationalinsights/workspaces":
            continue
        props = obj.get("properties") or {}
        if isinstance(props, dict) and str(props.get("customerId", "")).lower() == customer_id.lower():
            return str(obj["id"]).split("/")[2].lower()
    return None


def _no_access(state: HttpState, subscription: str | None) -> bool:
    return any(str(s.get("subscriptionId", "")).lower() == subscription and s.get("access") == "none"
               for s in state.estate.subscriptions)
