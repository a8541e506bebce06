"""Log Analytics answers to the traffic query -> TrafficSummary records. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from auditor.model.traffic import TrafficSummary
from auditor.normalise.access_logs import LogRoute
from auditor.normalise.hostnames import normalise
from auditor.normalise.timestamps import parse_time


def summaries(rows: Iterable[Mapping[str, Any]], ws_routes: list[LogRoute],
              canonical: Mapping[str, str]) -> list[TrafficSummary]:
    """One summary per host and logging resource; a row naming a resource no route reads
    (another resource writing to the same workspace) is kept under the id it names."""
    workspace, table = ws_routes[0].workspace_id, ws_routes[0].table
    out: list[TrafficSummary] = []
    for row in rows:
        host = normalise(str(row.get("hostname") or ""))
        if not host:
            continue
        resource = str(row.get("resource") or "")
        out.append(TrafficSummary(
            hostname=host,
            resource_id=canonical.get(resource.lower(), resource),
            workspace=workspace, table=table,
            requests=_count(row.get("requests"), "requests"),
            clients=_count(row.get("clients"), "clients"),
            first_seen=_time(row.get("first_seen")),
            last_seen=_time(row.get("last_seen")),
            paths=_texts(row.get("paths"))[:5],
            statuses=_texts(row.get("statuses"))[:10],
        ))
    return out


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{what} is not a count: {value!r}")
    return int(value)


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float):   # a number here is no log timestamp
        raise ValueError(f"not a timestamp: {value!r}")
    return parse_time(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return (value,)
    if not isinstance(value, list):
        return ()
    return tuple(sorted(str(v) for v in value if v not in (None, "")))
