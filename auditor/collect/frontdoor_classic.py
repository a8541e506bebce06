"""Front Door classic: the Resource Graph row already holds frontend endpoints, backends and
rules engines; ARM is read only when the row lacks them."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from azure.mgmt.frontdoor.aio import FrontDoorManagementClient

from auditor.collect.attempt import attempt
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, scoped, transform, wire
from auditor.model import Source
from auditor.normalise.frontdoor_classic import front_door_classic, frontend_endpoints_of

FRONT_DOOR_TYPE = "microsoft.network/frontdoors"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(FRONT_DOOR_TYPE)).items():
        if all(frontend_endpoints_of(r) is not None for r in rows):
            for row in rows:
                _transform(partial, row)
            continue
        async with run.clients.mgmt(FrontDoorManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_front_door(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _front_door(run: CollectRun, client: FrontDoorManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    if frontend_endpoints_of(row) is not None:
        _transform(partial, row)
        return partial
    fd_id = str(row.get("id") or "")
    scope = scoped(partial, fd_id)
    if scope is None:
        return partial

    async def get() -> dict[str, Any]:
        async with run.limit:
            return wire(await client.front_doors.get(scope[1], str(row.get("name") or "")))

    result = await attempt(Source.ARM, fd_id, get())
    if result.gap is not None or result.value is None:
        partial.gaps += [result.gap] if result.gap else []
        return partial
    full = {**result.value, "tags": row.get("tags") or result.value.get("tags")}
    _transform(partial, full)
    return partial


def _transform(partial: Partial, front_door: Mapping[str, Any]) -> None:
    endpoints = frontend_endpoints_of(front_door) or []
    transform(partial, str(front_door.get("id") or ""), lambda: front_door_classic(front_door, endpoints))


COLLECTOR = Collector(name="frontdoor-classic", types=(FRONT_DOOR_TYPE,), collect=collect)
