"""Collects everything Azure knows: one Resource Graph pass, then every registered
collector concurrently under one shared limit, merged into one Partial.

The registry below is explicit so that grep and the type checker both see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError, ServiceResponseError
from azure.mgmt.managementgroups.aio import ManagementGroupsMgmtClient
from azure.mgmt.resource.subscriptions.aio import SubscriptionClient
from azure.mgmt.resourcegraph.aio import ResourceGraphClient

from auditor.collect import (
    apim,
    appgateway,
    appservice,
    cdn,
    certificate_orders,
    containerapps,
    deadline,
    dnszones,
    entra,
    frontdoor,
    frontdoor_classic,
    keyvault,
    staticwebapps,
    trafficmanager,
)
from auditor.collect.arg import (
    GraphScope,
    InventoryScan,
    ResourceGraph,
    inventory_query,
    subscriptions_in_scope,
)
from auditor.collect.attempt import attempt, gap_from_error
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.clients import ClientFactory
from auditor.collect.context import CollectContext
from auditor.collect.in_flight import InFlight
from auditor.collect.limits import concurrency_for, pool_size
from auditor.collect.session import make_credential, open_session
from auditor.collect.tenant import tenant_from_token
from auditor.collect.traffic import TRAFFIC_TYPES, TrafficPart, collect_traffic, traffic_scope
from auditor.errors import AuditorError
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.resource import Resource
from auditor.normalise.retired_tag import tagged_retired_names

# Every collector the run executes. A module listed here exposes COLLECTOR.
COLLECTORS: tuple[Collector, ...] = (
    appservice.COLLECTOR,
    keyvault.COLLECTOR,
    frontdoor.COLLECTOR,
    frontdoor_classic.COLLECTOR,
    cdn.COLLECTOR,
    appgateway.COLLECTOR,
    apim.COLLECTOR,
    trafficmanager.COLLECTOR,
    staticwebapps.COLLECTOR,
    containerapps.COLLECTOR,
    certificate_orders.COLLECTOR,
    dnszones.COLLECTOR,
    entra.COLLECTOR,
)

T = TypeVar("T")


@dataclass(frozen=True)
class AzureCollection:
    tenant_id: str | None
    subscriptions: tuple[str, ...]
    partial: Partial
    traffic: TrafficPart = field(default_factory=TrafficPart)


async def collect_azure(context: CollectContext,
                        collectors: Sequence[Collector] = COLLECTORS) -> AzureCollection:
    settings = context.config.collect
    async with open_session(context.network, limit=pool_size(settings.concurrency)) as session:
        credential = make_credential(context.network, context.cloud, context.tenant_id, session,
                                     request_timeout=settings.request_timeout_seconds)
        try:
            signed_in_tenant = await _sign_in(credential, context)
            clients = ClientFactory(cloud=context.cloud, credential=credential, session=session,
                                    settings=settings, network=context.network,
                                    read_buckets=context.read_buckets)
            graph_pass = GraphPass(InventoryScan(sorted(_wanted(collectors))))
            graph_task = asyncio.ensure_future(_bounded_resource_graph(context, clients, collectors, graph_pass))
            try:
                # The collectors start once their rows are in; the rest is paged meanwhile.
                early_scope, early_scan = await graph_pass.collector_rows_or_end(graph_task)
                bound = concurrency_for(settings.concurrency, early_scope.subscriptions, early_scan.rows)
                run = CollectRun(context=context, clients=clients, rows=early_scan.rows,
                                 limit=InFlight(bound), in_flight=bound)
                partials = await asyncio.gather(*(_run_collector(c, run) for c in collectors))
                scope, scan = await graph_task
            finally:
                graph_task.cancel()      # only when something above raised: it is done otherwise
            merged = Partial(resources=scan.resources, references=scan.references, gaps=scan.gaps)
            for part in partials:
                merged.merge(part)
            traffic = await collect_traffic(run, merged, _traffic_names(context, merged))
        finally:
            await credential.close()
    tenant = context.tenant_id or signed_in_tenant or scope.tenant_id
    return AzureCollection(tenant_id=tenant, subscriptions=scope.subscriptions, partial=deduplicated(merged),
                           traffic=traffic)


def _traffic_names(context: CollectContext, partial: Partial) -> tuple[str, ...]:
    """Whose live traffic matters: retired domains (config and tag) and the decommission target."""
    decommission = context.config.decommission
    tagged = tagged_retired_names(partial.resources, partial.custom_domains, decommission.retired_tag)
    return traffic_scope([*decommission.retired_domains, *tagged, *context.traffic_names])


async def _sign_in(credential: AsyncTokenCredential, context: CollectContext) -> str | None:
    """No identity at all is a setup problem, not a coverage gap: say so once, up front.
    Returns the tenant the token was issued in, when it names one."""
    try:
        token = await credential.get_token(context.cloud.arm_scope)
    except ClientAuthenticationError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise AuditorError(
            f"cannot sign in to {context.cloud.name}: {first} Sign in with `az login`, set AZURE_TENANT_ID, "
            "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run with a managed identity.") from None
    return tenant_from_token(token.token)


@dataclass
class GraphPass:
    """The Resource Graph pass as the collectors see it: the scan as it fills, the scope once
    verified, and the moment every row of the collectors' types is in."""

    scan: InventoryScan
    scope: GraphScope | None = None
    collector_rows: asyncio.Event = field(default_factory=asyncio.Event)

    async def collector_rows_or_end(self, task: asyncio.Future[tuple[GraphScope, InventoryScan]]
                                    ) -> tuple[GraphScope, InventoryScan]:
        ready: asyncio.Future[Any] = asyncio.ensure_future(self.collector_rows.wait())
        either: set[asyncio.Future[Any]] = {task, ready}
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
        if task.done() or self.scope is None:
            return await task
        return self.scope, self.scan


def _wanted(collectors: Sequence[Collector]) -> set[str]:
    # Rows are kept only for the types something reads as rows: the collectors' and the traffic stage's.
    return {t.lower() for c in collectors for t in c.types} | set(TRAFFIC_TYPES)


async def _bounded_resource_graph(context: CollectContext, clients: ClientFactory,
                                  collectors: Sequence[Collector], graph_pass: GraphPass
                                  ) -> tuple[GraphScope, InventoryScan]:
    """The Resource Graph pass within the collection deadline; a network failure that escaped
    its paging, or the deadline, is a gap naming the scope, and the collectors then read nothing."""
    try:
        return await asyncio.wait_for(_resource_graph(context, clients, collectors, graph_pass),
                                      deadline.remaining())
    except (TimeoutError, ServiceRequestError, ServiceResponseError) as exc:
        left = deadline.remaining()
        if left is not None and left <= 0:
            gap = _scope_gap(context, GapReason.TIMEOUT, _deadline_detail())
        else:
            error_gap = gap_from_error(Source.ARG, "", exc)
            gap = _scope_gap(context, error_gap.reason, error_gap.detail)
    scan = InventoryScan([])
    scan.gaps.append(gap)
    return GraphScope(subscriptions=tuple(context.config.scope.subscriptions)), scan


def _scope_gap(context: CollectContext, reason: GapReason, detail: str) -> CoverageGap:
    target = ",".join(context.config.scope.subscriptions) or "tenant"
    return CoverageGap(Source.ARG, target, reason, f"inventory not read: {detail}")


def _deadline_detail() -> str:
    current = deadline.current()
    return current.detail() if current is not None else "collection deadline reached"


async def _resource_graph(context: CollectContext, clients: ClientFactory,
                          collectors: Sequence[Collector], graph_pass: GraphPass) -> tuple[GraphScope, InventoryScan]:
    settings = context.config.collect
    scan = graph_pass.scan
    by_groups = bool(context.config.scope.management_groups and not context.config.scope.subscriptions)
    async with clients.mgmt(ResourceGraphClient) as arg_client, \
            clients.mgmt(SubscriptionClient) as subscription_client, \
            clients.mgmt(ManagementGroupsMgmtClient) as groups_client:
        graph = ResourceGraph(arg_client, settings)
        scope = await subscriptions_in_scope(graph, context.config.scope, subscription_client,
                                             groups_client if by_groups else None)
        scan.gaps += scope.gaps
        graph_pass.scope = scope
        context.progress("resource-graph", 0, len(scope.subscriptions))

        def collector_rows_in() -> None:
            context.progress("resource-graph (collector types)", 1, 1)
            graph_pass.collector_rows.set()

        scan.gaps += await graph.scan(
            inventory_query(t for c in collectors for t in c.types), scope.subscriptions, scan,
            progress=lambda done, total: context.progress("resource-graph", done, total),
            on_rest=collector_rows_in)
    # What was really audited: not the subscriptions Resource Graph said none could be read of.
    audited = tuple(s for s in scope.subscriptions if s.lower() not in graph.unreadable)
    return replace(scope, subscriptions=audited), scan


async def _run_collector(collector: Collector, run: CollectRun) -> Partial:
    """A collector's Azure failure that escaped it is still a named gap, never a lost run."""
    # The grace lets the collector's own reads turn into gaps at the deadline first.
    result = await attempt(Source.ARM, f"collector:{collector.name}", collector.collect(run), grace=3.0)
    if result.gap is not None:
        return Partial(gaps=[result.gap])
    run.context.progress(f"collector:{collector.name}", 1, 1)
    return result.value or Partial()


def deduplicated(partial: Partial) -> Partial:
    """One record per identity; a resource seen twice keeps what each sighting knew."""
    return Partial(
        resources=_merge_resources(partial.resources),
        certificates=_unique(partial.certificates, lambda c: c.key.lower()),
        custom_domains=_unique(partial.custom_domains,
                               lambda d: (d.hostname, d.serving_resource_id.lower(), d.resource_id.lower())),
        bindings=_unique(partial.bindings, lambda b: (b.hostname, b.resource_id.lower(), b.thumbprint,
                                                      b.certificate_key, b.certificate_ref)),
        dns_records=_unique(partial.dns_records,
                            lambda r: (r.fqdn, r.type.upper(), r.resource_id.lower(), r.values)),
        references=_unique(partial.references, lambda r: (r.kind, r.hostname, r.resource_id.lower(), r.where)),
        gaps=_unique(partial.gaps, lambda g: g),
    )


def _unique(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _merge_resources(resources: Iterable[Resource]) -> list[Resource]:
    merged: dict[str, Resource] = {}
    for resource in resources:
        key = resource.id.lower()
        known = merged.get(key)
        if known is None:
            merged[key] = resource
            continue
        merged[key] = replace(
            known,
            location=known.location or resource.location,
            tags=known.tags or resource.tags,
            default_hostnames=tuple(dict.fromkeys(known.default_hostnames + resource.default_hostnames)),
            min_tls_version=resource.min_tls_version or known.min_tls_version,
            public_access_block=resource.public_access_block or known.public_access_block,
        )
    return list(merged.values())
