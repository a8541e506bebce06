"""Front Door Standard/Premium: each profile's custom domains, secrets, endpoints, routes,
origins and rules, read through the real CDN management client."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import partial as partial_call
from typing import Any

from azure.mgmt.cdn.aio import CdnManagementClient

from auditor.collect.attempt import attempt
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import by_subscription, list_all, scoped, transform, value_or_gap, wire
from auditor.model import Source
from auditor.normalise.frontdoor import FrontDoorProfile, front_door, is_front_door_profile

PROFILE_TYPE = "microsoft.cdn/profiles"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for subscription, rows in by_subscription(run.rows_of(PROFILE_TYPE)).items():
        async with run.clients.mgmt(CdnManagementClient, subscription) as client:
            parts = await asyncio.gather(*(_profile(run, client, row) for row in rows))
        for part in parts:
            partial.merge(part)
    return partial


async def _profile(run: CollectRun, client: CdnManagementClient, row: Mapping[str, Any]) -> Partial:
    partial = Partial()
    profile_id = str(row.get("id") or "")
    scope = scoped(partial, profile_id)
    if scope is None:
        return partial
    _, group = scope
    name = str(row.get("name") or "")
    full = await _with_sku(run, client, row, group, partial)
    if full is None or not is_front_door_profile(full):
        return partial
    domains, secrets, endpoints, groups, rule_sets = await asyncio.gather(
        list_all(run, profile_id, "custom domains", lambda: client.afd_custom_domains.list_by_profile(group, name)),
        list_all(run, profile_id, "secrets", lambda: client.secrets.list_by_profile(group, name)),
        list_all(run, profile_id, "endpoints", lambda: client.afd_endpoints.list_by_profile(group, name)),
        list_all(run, profile_id, "origin groups", lambda: client.afd_origin_groups.list_by_profile(group, name)),
        list_all(run, profile_id, "rule sets", lambda: client.rule_sets.list_by_profile(group, name)),
    )
    endpoint_items = value_or_gap(partial, endpoints)
    group_items = value_or_gap(partial, groups)
    rule_set_items = value_or_gap(partial, rule_sets)
    children = await asyncio.gather(
        *(list_all(run, str(e.get("id")), "routes",
                   partial_call(client.routes.list_by_endpoint, group, name, str(e.get("name"))))
          for e in endpoint_items),
        *(list_all(run, str(g.get("id")), "origins",
                   partial_call(client.afd_origins.list_by_origin_group, group, name, str(g.get("name"))))
          for g in group_items),
        *(list_all(run, str(s.get("id")), "rules",
                   partial_call(client.rules.list_by_rule_set, group, name, str(s.get("name"))))
          for s in rule_set_items),
    )
    routes = [r for c in children[: len(endpoint_items)] for r in value_or_gap(partial, c)]
    origins = [o for c in children[len(endpoint_items): len(endpoint_items) + len(group_items)]
               for o in value_or_gap(partial, c)]
    rules = [r for c in children[len(endpoint_items) + len(group_items):] for r in value_or_gap(partial, c)]
    data = FrontDoorProfile(
        profile=full, custom_domains=value_or_gap(partial, domains), secrets=value_or_gap(partial, secrets),
        endpoints=endpoint_items, routes=routes, origin_groups=group_items, origins=origins, rules=rules,
    )
    transform(partial, profile_id, lambda: front_door(data))
    return partial


async def _with_sku(run: CollectRun, client: CdnManagementClient, row: Mapping[str, Any], group: str,
                    partial: Partial) -> Mapping[str, Any] | None:
    """Resource Graph rows may come without `sku`; only then is the profile read from ARM."""
    if isinstance(row.get("sku"), Mapping) and row["sku"].get("name"):
        return row
    async def get() -> dict[str, Any]:
        async with run.limit:
            return wire(await client.profiles.get(group, str(row["name"])))

    result = await attempt(Source.ARM, str(row["id"]), get())
    if result.gap is not None:
        partial.gaps.append(result.gap)
        return None
    merged = dict(row)
    merged["sku"] = (result.value or {}).get("sku")
    return merged


COLLECTOR = Collector(name="frontdoor", types=(PROFILE_TYPE,), collect=collect)
