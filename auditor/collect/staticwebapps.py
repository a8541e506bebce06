"""Static Web Apps: the site from Resource Graph, its custom domains from ARM."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from azure.mgmt.web.aio import WebSiteManagementClient

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, list_all, scoped, transform, value_or_gap
from auditor.normalise.staticwebapps import static_site

SITE_TYPE = "microsoft.web/staticsites"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(SITE_TYPE)).items():
        async with run.clients.mgmt(WebSiteManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_site(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _site(run: CollectRun, client: WebSiteManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    site_id = str(row.get("id") or "")
    scope = scoped(partial, site_id)
    if scope is None:
        return partial
    name = str(row.get("name") or "")
    domains = await list_all(run, site_id, "custom domains",
                             lambda: client.static_sites.list_static_site_custom_domains(scope[1], name))
    items = value_or_gap(partial, domains)
    transform(partial, site_id, lambda: static_site(row, items))
    return partial


COLLECTOR = Collector(name="staticwebapps", types=(SITE_TYPE,), collect=collect)
