"""API Management: host name configurations from the Resource Graph row, backends from ARM."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from azure.mgmt.apimanagement.aio import ApiManagementClient

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, list_all, scoped, transform, value_or_gap
from auditor.normalise.apim import apim_service

SERVICE_TYPE = "microsoft.apimanagement/service"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(SERVICE_TYPE)).items():
        async with run.clients.mgmt(ApiManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_service(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _service(run: CollectRun, client: ApiManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    service_id = str(row.get("id") or "")
    scope = scoped(partial, service_id)
    if scope is None:
        return partial
    name = str(row.get("name") or "")
    backends = await list_all(run, service_id, "backends", lambda: client.backend.list_by_service(scope[1], name))
    items = value_or_gap(partial, backends)
    transform(partial, service_id, lambda: apim_service(row, items))
    return partial


COLLECTOR = Collector(name="apim", types=(SERVICE_TYPE,), collect=collect)
