"""Could anyone register the Azure-provided name a dangling record points at, today?

For every Azure-provided target that no resource in the inventory owns, ask the ARM
name-availability action of its service through the real SDK client:
- App Service  Microsoft.Web/checknameavailability (type Microsoft.Web/sites)
  https://learn.microsoft.com/en-us/rest/api/appservice/check-name-availability
- Storage  Microsoft.Storage/checkNameAvailability (blob and static-website names)
  https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/check-name-availability
- Traffic Manager  checkTrafficManagerNameAvailability (relative DNS name)
  https://learn.microsoft.com/en-us/rest/api/trafficmanager/profiles/check-traffic-manager-relative-dns-name-availability
- Front Door (classic, NAME.azurefd.net)  checkFrontDoorNameAvailability
  https://learn.microsoft.com/en-us/rest/api/frontdoorservice/frontdoor/check-front-door-name-availability-with-subscription
- CDN endpoints (NAME.azureedge.net)  Microsoft.Cdn/checkNameAvailability
  https://learn.microsoft.com/en-us/rest/api/cdn/check-name-availability-with-subscription
- cloudapp DNS labels (LABEL.REGION.cloudapp.azure.com)  Microsoft.Network/locations/{loc}/CheckDnsNameAvailability
  https://learn.microsoft.com/en-us/rest/api/virtualnetwork/network-management-client/check-dns-name-availability
Other suffixes have no such check (Front Door Standard/Premium endpoint names carry a hash Azure
derives from the tenant, so they cannot be registered by name): their answer is "not applicable".
An action that fails is a coverage gap, never a silent "available".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from auditor.collect.attempt import attempt
from auditor.collect.clients import ClientFactory
from auditor.collect.context import CollectContext
from auditor.collect.service_helpers import wire
from auditor.collect.session import make_credential, open_session
from auditor.graph import build_graph
from auditor.graph.azure_names import azure_provided_suffix, is_azure_provided
from auditor.model import CoverageGap, Inventory, NameAvailability, ReferenceKind, Source
from auditor.normalise.hostnames import normalise

_TRAFFIC_KINDS = {ReferenceKind.FRONTDOOR_ORIGIN, ReferenceKind.TRAFFIC_MANAGER_ENDPOINT,
                  ReferenceKind.GATEWAY_BACKEND, ReferenceKind.APIM_BACKEND}


@dataclass(frozen=True)
class Check:
    service: str          # the ARM action, as evidence names it
    name: str             # what the action is asked about
    location: str = ""    # cloudapp labels only


def candidates(inventory: Inventory) -> list[str]:
    """Azure-provided names a record, a resolved chain or a traffic reference points at, that no
    resource in the inventory owns: the names a dangling-dns finding can be about."""
    graph = build_graph(inventory)
    known = set(graph.resources_by_hostname)
    known |= {normalise(t) for domains in graph.custom_domains.values() for d in domains for t in d.expected_targets}
    found: dict[str, None] = {}
    for record in inventory.dns_records:
        if record.type.upper() == "CNAME":
            for value in record.values:
                found.setdefault(normalise(value), None)
    for obs in inventory.dns:
        for hop in obs.chain:
            if is_azure_provided(hop.name):
                break
            found.setdefault(normalise(hop.target), None)
    for ref in inventory.references:
        if ref.kind in _TRAFFIC_KINDS:
            found.setdefault(normalise(ref.hostname), None)
    return [n for n in found if is_azure_provided(n) and n not in known]


def check_for(host: str) -> Check | None:
    """Which availability action answers for `host`, or None where no action applies."""
    suffix = azure_provided_suffix(host)
    labels = host.split(".")
    first = labels[0]
    depth = len(labels) - len(suffix.split(".")) if suffix else 0
    if suffix == "azurewebsites.net" and depth == 1:
        return Check("Microsoft.Web/checkNameAvailability", first)
    if suffix == "blob.core.windows.net" and depth == 1 or suffix == "web.core.windows.net" and depth in (1, 2):
        return Check("Microsoft.Storage/checkNameAvailability", first)
    if suffix == "trafficmanager.net" and depth == 1:
        return Check("Microsoft.Network/checkTrafficManagerNameAvailability", first)
    if suffix == "azurefd.net" and depth == 1:
        return Check("Microsoft.Network/checkFrontDoorNameAvailability", first)
    if suffix == "azureedge.net" and depth == 1:
        return Check("Microsoft.Cdn/checkNameAvailability", first)
    if suffix == "cloudapp.azure.com" and depth == 2:
        return Check("Microsoft.Network/locations/CheckDnsNameAvailability", first, labels[1])
    return None


async def check_names(inventory: Inventory, context: CollectContext
                      ) -> tuple[list[NameAvailability], list[CoverageGap]]:
    hosts = candidates(inventory)
    checks = {h: check_for(h) for h in hosts}
    answers = [NameAvailability(h, "", None, f"no name-availability check exists for "
                                             f"{azure_provided_suffix(h)} names of this shape")
               for h, c in checks.items() if c is None]
    wanted = [(h, c) for h, c in checks.items() if c is not None]
    if not wanted:
        return answers, []
    if not inventory.subscriptions:
        return answers + [NameAvailability(h, c.service, None, "no subscription in scope to ask under")
                          for h, c in wanted], []
    subscription = inventory.subscriptions[0]
    gaps: list[CoverageGap] = []
    settings = context.config.collect
    async with open_session(context.network, limit=max(2 * settings.concurrency, 8)) as session:
        credential = make_credential(context.network, context.cloud, context.tenant_id, session)
        try:
            clients = ClientFactory(cloud=context.cloud, credential=credential, session=session, settings=settings,
                                    read_buckets=context.read_buckets)
            limit = asyncio.Semaphore(max(1, settings.concurrency))

            async def one(host: str, check: Check) -> None:
                async with limit:
                    result = await attempt(Source.ARM, host, _ask(clients, subscription, check))
                if result.gap is not None:
                    gaps.append(CoverageGap(result.gap.source, host, result.gap.reason,
                                            f"{check.service} for {check.name} failed: {result.gap.detail}"))
                    answers.append(NameAvailability(host, check.service, None, "the check failed"))
                    return
                available, detail = result.value or (None, "")
                answers.append(NameAvailability(host, check.service, available, detail))

            await asyncio.gather(*(one(h, c) for h, c in wanted))
        finally:
            await credential.close()
    return sorted(answers, key=lambda a: a.hostname), gaps


async def _ask(clients: ClientFactory, subscription: str, check: Check) -> tuple[bool, str]:
    """(available, Azure's reason and message) from the action's real SDK client."""
    service = check.service
    if service.startswith("Microsoft.Web/"):
        from azure.mgmt.web.aio import WebSiteManagementClient

        return await _call(clients, WebSiteManagementClient, subscription, lambda c: c.check_name_availability(
            {"name": check.name, "type": "Microsoft.Web/sites"}))
    if service.startswith("Microsoft.Storage/"):
        from azure.mgmt.storage.aio import StorageManagementClient

        return await _call(clients, StorageManagementClient, subscription,
                           lambda c: c.storage_accounts.check_name_availability(
                               {"name": check.name, "type": "Microsoft.Storage/storageAccounts"}))
    if service.endswith("checkTrafficManagerNameAvailability"):
        from azure.mgmt.trafficmanager.aio import TrafficManagerManagementClient

        return await _call(clients, TrafficManagerManagementClient, subscription,
                           lambda c: c.profiles.check_traffic_manager_relative_dns_name_availability(
                               {"name": check.name, "type": "Microsoft.Network/trafficManagerProfiles"}))
    if service.endswith("checkFrontDoorNameAvailability"):
        from azure.mgmt.frontdoor.aio import FrontDoorManagementClient

        return await _call(clients, FrontDoorManagementClient, subscription,
                           lambda c: c.front_door_name_availability_with_subscription.check(
                               {"name": check.name, "type": "Microsoft.Network/frontDoors"}))
    if service.startswith("Microsoft.Cdn/"):
        from azure.mgmt.cdn.aio import CdnManagementClient

        return await _call(clients, CdnManagementClient, subscription,
                           lambda c: c.check_name_availability_with_subscription(
                               {"name": check.name, "type": "Microsoft.Cdn/Profiles/Endpoints"}))
    from azure.mgmt.network.aio import NetworkManagementClient

    return await _call(clients, NetworkManagementClient, subscription,
                       lambda c: c.check_dns_name_availability(location=check.location,
                                                               domain_name_label=check.name))


async def _call(clients: ClientFactory, client_cls: type, subscription: str,
                call: Callable[[Any], Awaitable[Any]]) -> tuple[bool, str]:
    async with clients.mgmt(client_cls, subscription) as client:
        body = wire(await call(client))
    return _verdict(body)


def _verdict(body: dict[str, Any]) -> tuple[bool, str]:
    """Every action's answer shape: nameAvailable (most), nameAvailability (Front Door), available (cloudapp)."""
    keys = {k.lower(): v for k, v in body.items()}
    if "nameavailability" in keys:
        available = str(keys["nameavailability"]).lower() == "available"
    elif "nameavailable" in keys:
        available = bool(keys["nameavailable"])
    elif "available" in keys:
        available = bool(keys["available"])
    else:
        raise ValueError(f"name-availability answer without a verdict: keys {sorted(keys)}")
    detail = ": ".join(str(keys[k]) for k in ("reason", "message") if keys.get(k))
    return available, detail

