"""Azure Resource Graph: the run's one enumeration of what exists.

Subscriptions are queried in batches; every batch pages with `$skipToken` ordered
by id, at most 1000 rows a page. Resource Graph's own quota headers are honoured
(when `x-ms-user-quota-remaining` reaches 0, wait out `x-ms-user-quota-resets-after`,
bounded by the config); 429s with Retry-After are waited out by azure-core's retry
policy. A batch that fails is retried one subscription at a time, so a gap names
only the subscriptions that really could not be read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError
from azure.mgmt.resourcegraph.aio import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions, ResultFormat

from auditor.collect.attempt import gap_from_error
from auditor.collect.references import property_references
from auditor.config import CollectConfig, ScopeConfig
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.reference import Reference
from auditor.model.resource import Resource
from auditor.normalise.resources import resource_from_row

log = logging.getLogger(__name__)

PAGE_SIZE = 1000

# Everything in scope, with only the columns the audit reads. Properties are needed
# for the types the collectors read and for the host-name reference scan of all others.
# App Service config objects are not Resource Graph resources; an estate may hold them.
INVENTORY_QUERY = (
    "Resources"
    " | where type !in~ ('microsoft.web/sites/config', 'microsoft.web/sites/slots/config')"
    " | project id, name, type, ['kind'], sku, location, subscriptionId, tags, properties"
    " | order by id asc"
)

SUBSCRIPTIONS_QUERY = (
    "ResourceContainers"
    " | where type =~ 'microsoft.resources/subscriptions'"
    " | project id, subscriptionId, name"
    " | order by id asc"
)

Rows = list[dict[str, Any]]
PageHandler = Callable[[Rows], None]


@dataclass(frozen=True)
class GraphScope:
    """The subscriptions one run reads, and what could not be enumerated."""

    subscriptions: tuple[str, ...]
    gaps: tuple[CoverageGap, ...] = ()


class ResourceGraph:
    """Pages, batches and quota over one ResourceGraphClient."""

    def __init__(self, client: ResourceGraphClient, settings: CollectConfig,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._client = client
        self._settings = settings
        self._sleep = sleep
        self.quota_waits: list[float] = []

    async def pages(self, query: str, *, subscriptions: Sequence[str] = (),
                    management_groups: Sequence[str] = ()) -> AsyncIterator[Rows]:
        """Every page of one query; Azure's errors propagate to the caller."""
        skip_token: str | None = None
        while True:
            request = QueryRequest(
                query=query,
                subscriptions=list(subscriptions) or None,
                management_groups=list(management_groups) or None,
                options=QueryRequestOptions(top=PAGE_SIZE, skip_token=skip_token,
                                            result_format=ResultFormat.OBJECT_ARRAY),
            )
            answer: Any = await self._client.resources(request, cls=_with_headers)
            response, headers = answer
            data = response.data
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise ValueError("Resource Graph answered without an object array in data")
            yield data
            await self._respect_quota(headers)
            skip_token = response.skip_token
            if not skip_token:
                return

    async def scan(self, query: str, subscriptions: Sequence[str], on_page: PageHandler,
                   progress: Callable[[int, int], None] | None = None) -> list[CoverageGap]:
        """Run `query` over every subscription in batches; returns the gaps."""
        size = max(1, self._settings.subscription_batch)
        batches = [list(subscriptions[i:i + size]) for i in range(0, len(subscriptions), size)]
        gaps: list[CoverageGap] = []
        for done, batch in enumerate(batches, start=1):
            failure = await self._run(query, batch, on_page)
            if failure is not None and len(batch) > 1:
                log.info("Resource Graph batch of %d subscriptions failed (%s); retrying one by one",
                         len(batch), failure.reason.value)
                for subscription in batch:
                    single = await self._run(query, [subscription], on_page)
                    if single is not None:
                        gaps.append(single)
            elif failure is not None:
                gaps.append(failure)
            if progress is not None:
                progress(done, len(batches))
        return gaps

    async def _run(self, query: str, batch: list[str], on_page: PageHandler) -> CoverageGap | None:
        """One batch to its end; rows already handed over stay (the caller dedupes by id)."""
        rows_seen = 0
        try:
            async for rows in self.pages(query, subscriptions=batch):
                rows_seen += len(rows)
                on_page(rows)
        except (HttpResponseError, ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
            gap = gap_from_error(Source.ARG, ",".join(batch), exc)
            if rows_seen:
                gap = CoverageGap(gap.source, gap.target, gap.reason,
                                  f"stopped after {rows_seen} rows: {gap.detail}")
            return gap
        return None

    async def _respect_quota(self, headers: dict[str, str]) -> None:
        remaining = headers.get("x-ms-user-quota-remaining")
        if remaining is None or not remaining.strip().lstrip("-").isdigit() or int(remaining) > 0:
            return
        wait = min(parse_timespan(headers.get("x-ms-user-quota-resets-after", "")) or 1.0,
                   self._settings.max_retry_wait_seconds)
        log.info("Resource Graph quota used up; waiting %.1f s for it to reset", wait)
        self.quota_waits.append(wait)
        await self._sleep(wait)


async def subscriptions_in_scope(graph: ResourceGraph, scope: ScopeConfig,
                                 subscription_client: Any | None = None) -> GraphScope:
    """Configured subscriptions; else those under the management groups (Resource Graph);
    else every subscription the identity can see (ARM's subscription list, which a fault
    in one subscription's Resource Graph answers cannot hide). Excluded ones are dropped."""
    excluded = {s.lower() for s in scope.exclude_subscriptions}
    gaps: list[CoverageGap] = []
    if scope.subscriptions:
        found = list(scope.subscriptions)
    elif scope.management_groups or subscription_client is None:
        found, gaps = await _discover_by_graph(graph, scope.management_groups)
    else:
        found, gaps = await _discover_by_arm(subscription_client)
    chosen = tuple(dict.fromkeys(s for s in found if s.lower() not in excluded))
    return GraphScope(subscriptions=chosen, gaps=tuple(gaps))


async def _discover_by_graph(graph: ResourceGraph, management_groups: Sequence[str]
                             ) -> tuple[list[str], list[CoverageGap]]:
    found: list[str] = []
    target = ",".join(management_groups) if management_groups else "tenant"
    try:
        async for rows in graph.pages(SUBSCRIPTIONS_QUERY, management_groups=management_groups):
            found += [str(r["subscriptionId"]) for r in rows if r.get("subscriptionId")]
    except (HttpResponseError, ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
        return found, [_listing_gap(Source.ARG, target, exc)]
    return found, [] if found else [_nothing_visible(Source.ARG, target)]


async def _discover_by_arm(client: Any) -> tuple[list[str], list[CoverageGap]]:
    found: list[str] = []
    try:
        async for subscription in client.subscriptions.list():
            state = str(getattr(subscription, "state", "") or "").lower()
            if subscription.subscription_id and state not in ("disabled", "deleted"):
                found.append(subscription.subscription_id)
    except (HttpResponseError, ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
        return found, [_listing_gap(Source.ARM, "tenant", exc)]
    return found, [] if found else [_nothing_visible(Source.ARM, "tenant")]


def _listing_gap(source: Source, target: str, exc: BaseException) -> CoverageGap:
    gap = gap_from_error(source, target, exc)
    return CoverageGap(gap.source, gap.target, gap.reason, f"could not list subscriptions: {gap.detail}")


def _nothing_visible(source: Source, target: str) -> CoverageGap:
    return CoverageGap(source, target, GapReason.NOT_FOUND, "the identity can see no subscription")


def parse_timespan(text: str) -> float | None:
    """"00:00:05", "1.02:03:04.5" (d.hh:mm:ss) or plain seconds -> seconds; None when unreadable."""
    parts = text.strip().split(":")
    try:
        if len(parts) == 1:
            return float(parts[0]) if parts[0] else None
        if len(parts) != 3:
            return None
        days, _, hours = parts[0].rpartition(".")
        return float(days or 0) * 86400 + float(hours) * 3600 + float(parts[1]) * 60 + float(parts[2])
    except ValueError:
        return None


def _with_headers(pipeline_response: Any, deserialized: Any, _: Any) -> tuple[Any, dict[str, str]]:
    headers = {k.lower(): v for k, v in pipeline_response.http_response.headers.items()}
    return deserialized, headers


class InventoryScan:
    """Consumes the inventory query's pages: a Resource for every row, the host names
    named in its properties, and the rows of the types the collectors asked for."""

    def __init__(self, wanted_types: Sequence[str]) -> None:
        self._wanted = {t.lower() for t in wanted_types}
        self.rows: dict[str, Rows] = {t: [] for t in self._wanted}
        self.resources: list[Resource] = []
        self.references: list[Reference] = []
        self.gaps: list[CoverageGap] = []
        self._seen: set[str] = set()

    def __call__(self, rows: Rows) -> None:
        for row in rows:
            try:
                resource = resource_from_row(row)
            except ValueError as exc:
                self.gaps.append(CoverageGap(Source.ARG, str(row.get("id") or "?"), GapReason.MALFORMED, str(exc)))
                continue
            key = resource.id.lower()
            if key in self._seen:     # a batch retried one subscription at a time repeats rows
                continue
            self._seen.add(key)
            self.resources.append(resource)
            self.references += property_references(row)
            if resource.type in self._wanted:
                self.rows[resource.type].append(row)
