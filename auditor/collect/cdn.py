"""CDN classic endpoints: the Resource Graph row, and each endpoint's custom domains from ARM."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from azure.mgmt.cdn.aio import CdnManagementClient
from azure.mgmt.core.tools import parse_resource_id

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, list_all, scoped, transform, value_or_gap
from auditor.normalise.cdn import cdn_endpoint

ENDPOINT_TYPE = "microsoft.cdn/profiles/endpoints"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(ENDPOINT_TYPE)).items():
        async with run.clients.mgmt(CdnManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_endpoint(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _endpoint(run: CollectRun, client: CdnManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    endpoint_id = str(row.get("id") or "")
    scope = scoped(partial, endpoint_id)
    if scope is None:
        return partial
    parts = parse_resource_id(endpoint_id)
    profile, endpoint = str(parts.get("name")), str(parts.get("child_name_1"))
    domains = await list_all(run, endpoint_id, "custom domains",
                             lambda: client.custom_domains.list_by_endpoint(scope[1], profile, endpoint))
    items = value_or_gap(partial, domains)
    transform(partial, endpoint_id, lambda: cdn_endpoint(row, items))
    return partial


COLLECTOR = Collector(name="cdn", types=(ENDPOINT_TYPE,), collect=collect)
