"""Azure DNS: every record set of every public zone, read through the DNS management client."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from azure.mgmt.dns.aio import DnsManagementClient

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, list_all, scoped, transform, value_or_gap
from auditor.normalise.dnszones import dns_zone

ZONE_TYPE = "microsoft.network/dnszones"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(ZONE_TYPE)).items():
        async with run.clients.mgmt(DnsManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_zone(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _zone(run: CollectRun, client: DnsManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    zone_id = str(row.get("id") or "")
    scope = scoped(partial, zone_id)
    if scope is None:
        return partial
    name = str(row.get("name") or "")
    record_sets = await list_all(run, zone_id, "record sets",
                                 lambda: client.record_sets.list_all_by_dns_zone(scope[1], name))
    items = value_or_gap(partial, record_sets)
    # The zone is a resource with its tags (a retired tag matters) even when its records were not read.
    transform(partial, zone_id, lambda: dns_zone(row, items))
    return partial


COLLECTOR = Collector(name="dnszones", types=(ZONE_TYPE,), collect=collect)
