"""Live traffic: which names still receive requests, from the access logs Azure already keeps.

For each resource that serves names in the traffic scope (retired domains, a decommission
target) and every gateway and Front Door (a catch-all listener or wildcard domain serves names
no configuration lists), its diagnostic settings say which workspaces and tables hold its
access log. Then one KQL query per workspace and table summarises requests by host name.
A resource in scope whose access log reaches no workspace, a workspace that cannot be seen or
queried, a query that fails: each is a `logs` gap, never an idle-looking name.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from azure.mgmt.monitor.aio import MonitorManagementClient
from azure.monitor.query import LogsQueryPartialResult
from azure.monitor.query.aio import LogsQueryClient

from auditor.collect.attempt import attempt
from auditor.collect.base import CollectRun, Partial
from auditor.collect.service_helpers import list_all
from auditor.collect.traffic_kql import traffic_query
from auditor.model import CoverageGap, GapReason, Source, TrafficSummary
from auditor.normalise.access_logs import LogRoute, access_log_of, routes
from auditor.normalise.hostnames import is_under, normalise
from auditor.normalise.traffic import summaries

WORKSPACE_TYPE = "microsoft.operationalinsights/workspaces"
# Front doors and gateways can serve names no configuration lists (wildcards, catch-all
# listeners): their logs are read whatever names they are configured with.
_ALWAYS_READ = {"microsoft.cdn/profiles", "microsoft.network/frontdoors", "microsoft.network/applicationgateways"}
SERVING_TYPES = ("microsoft.cdn/profiles", "microsoft.network/frontdoors", "microsoft.web/sites",
                 "microsoft.web/sites/slots", "microsoft.network/applicationgateways",
                 "microsoft.apimanagement/service")
# The Resource Graph rows the logs stage reads.
TRAFFIC_TYPES = (*SERVING_TYPES, WORKSPACE_TYPE)
_SERVER_TIMEOUT_SECONDS = 180   # Log Analytics' own default; the request deadline still bounds it


@dataclass
class TrafficPart:
    traffic: list[TrafficSummary] = field(default_factory=list)
    logged_resources: list[str] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)
    consulted: bool = False      # the logs were read for some names


def traffic_scope(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({normalise(n).removeprefix("*.") for n in names if normalise(n)}))


async def collect_traffic(run: CollectRun, partial: Partial, names: tuple[str, ...]) -> TrafficPart:
    out = TrafficPart()
    window = run.context.config.logs.traffic_window_days
    if not names or window <= 0:
        return out
    out.consulted = True
    serving = _serving_names(partial)
    candidates = [row for row in run.rows_of(*SERVING_TYPES) if _worth_reading(row, serving, names)]
    in_scope = {str(r["id"]).lower() for r in candidates
                if any(is_under(h, n) for h in serving.get(str(r["id"]).lower(), ()) for n in names)}
    found = await asyncio.gather(*(_routes_of(run, row) for row in candidates))
    all_routes: list[LogRoute] = []
    for row, (route_list, gap) in zip(candidates, found, strict=True):
        rid = str(row["id"])
        if gap is not None:
            out.gaps.append(gap)
        elif not route_list and rid.lower() in in_scope:
            out.gaps.append(CoverageGap(Source.LOGS, rid, GapReason.NOT_LOGGED,
                                        "no diagnostic setting sends its access log to a Log Analytics "
                                        "workspace: traffic unknown"))
        all_routes += route_list
    workspaces = {str(w.get("id") or "").lower(): w for w in run.rows_of(WORKSPACE_TYPE)}
    grouped: dict[tuple[str, str], list[LogRoute]] = defaultdict(list)
    for route in all_routes:
        grouped[(route.workspace_id.lower(), route.table)].append(route)
    end = run.context.as_of
    start = end - timedelta(days=window)
    limit = asyncio.Semaphore(run.context.config.logs.concurrency)
    failed: set[str] = set()
    run.context.progress("logs", 0, len(grouped))
    async with LogsQueryClient(run.clients.credential, endpoint=run.context.cloud.log_analytics,
                               audience=run.context.cloud.log_analytics,
                               **run.clients.common_kwargs()) as client:
        answers = await asyncio.gather(*(
            _query(client, limit, workspaces.get(ws), ws_routes, names, start, end)
            for (ws, _table), ws_routes in sorted(grouped.items())))
    for ws_routes, (rows, gap) in zip((r for _, r in sorted(grouped.items())), answers, strict=True):
        if gap is not None:
            out.gaps.append(gap)
            failed |= {r.resource_id.lower() for r in ws_routes}
            continue
        out.traffic += summaries(rows, ws_routes, _canonical_ids(candidates))
    run.context.progress("logs", len(grouped), len(grouped))
    routed = {r.resource_id.lower() for r in all_routes}
    out.logged_resources = sorted(str(r["id"]) for r in candidates
                                  if str(r["id"]).lower() in routed - failed)
    return out


def _serving_names(partial: Partial) -> dict[str, set[str]]:
    """Resource id (lower-case) -> the host names it serves, as the inventory knows them."""
    serving: dict[str, set[str]] = defaultdict(set)
    for domain in partial.custom_domains:
        for rid in (domain.serving_resource_id, domain.resource_id):
            if rid:
                serving[_owner(rid)].add(normalise(domain.hostname).removeprefix("*."))
    for binding in partial.bindings:
        serving[_owner(binding.resource_id)].add(normalise(binding.hostname).removeprefix("*."))
    for ref in partial.references:
        if ref.kind.value == "gateway-listener":
            serving[_owner(ref.resource_id)].add(normalise(ref.hostname).removeprefix("*."))
    return serving


def _owner(resource_id: str) -> str:
    """The serving resource of a child id (a profile's custom domain, a site's binding)."""
    lowered = resource_id.lower()
    for marker in ("/customdomains/", "/hostnamebindings/", "/frontendendpoints/"):
        if marker in lowered:
            return lowered.split(marker, 1)[0]
    return lowered


def _worth_reading(row: Mapping[str, Any], serving: Mapping[str, set[str]], names: tuple[str, ...]) -> bool:
    rid, kind = str(row.get("id") or "").lower(), str(row.get("type") or "").lower()
    if not rid or access_log_of(kind, _sku(row)) is None:
        return False
    if kind in _ALWAYS_READ:
        return True
    return any(is_under(h, n) or is_under(n, h) for h in serving.get(rid, ()) for n in names)


def _sku(row: Mapping[str, Any]) -> str:
    sku = row.get("sku")
    return str(sku.get("name") or "") if isinstance(sku, Mapping) else ""


def _canonical_ids(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    return {str(r["id"]).lower(): str(r["id"]) for r in rows}


async def _routes_of(run: CollectRun, row: Mapping[str, Any]) -> tuple[list[LogRoute], CoverageGap | None]:
    rid = str(row["id"])
    log = access_log_of(str(row.get("type") or ""), _sku(row))
    assert log is not None
    subscription = str(row.get("subscriptionId") or rid.split("/")[2])
    async with run.clients.mgmt(MonitorManagementClient, subscription) as client:
        listed = await list_all(run, rid, "diagnostic settings",
                                lambda: client.diagnostic_settings.list(rid.lstrip("/")))
    if listed.gap is not None:
        return [], CoverageGap(Source.LOGS, rid, listed.gap.reason, listed.gap.detail)
    try:
        return routes(rid, log, listed.value or []), None
    except (TypeError, ValueError) as exc:
        return [], CoverageGap(Source.LOGS, rid, GapReason.MALFORMED, f"diagnostic settings: {exc}"[:300])


async def _query(client: LogsQueryClient, limit: asyncio.Semaphore, workspace: Mapping[str, Any] | None,
                 ws_routes: list[LogRoute], names: tuple[str, ...], start: datetime,
                 end: datetime) -> tuple[list[dict[str, Any]], CoverageGap | None]:
    workspace_id = ws_routes[0].workspace_id
    table = ws_routes[0].table
    target = f"{workspace_id} {table}"
    props = (workspace or {}).get("properties")
    customer_id = props.get("customerId") if isinstance(props, Mapping) else None
    if not isinstance(customer_id, str) or not customer_id:
        return [], CoverageGap(Source.LOGS, workspace_id, GapReason.NOT_FOUND,
                               "the workspace the diagnostic settings name is not visible to the audit "
                               "identity (grant Log Analytics Reader on it, or add its subscription to the scope)")
    query = traffic_query(table, ws_routes, names, start, end)

    async def run_query() -> Any:
        async with limit:
            return await client.query_workspace(customer_id, query, timespan=(start, end),
                                                server_timeout=_SERVER_TIMEOUT_SECONDS)

    result = await attempt(Source.LOGS, target, run_query())
    if result.gap is not None:
        return [], result.gap
    answer = result.value
    if isinstance(answer, LogsQueryPartialResult):
        error = getattr(answer, "partial_error", None)
        return [], CoverageGap(Source.LOGS, target, GapReason.TRUNCATED,
                               f"partial answer: {getattr(error, 'message', '') or 'Log Analytics stopped early'}"[:300])
    tables = getattr(answer, "tables", None) or []
    rows: list[dict[str, Any]] = []
    for t in tables:
        columns = list(t.columns)
        rows += [dict(zip(columns, list(r), strict=False)) for r in t.rows]
    return rows, None

