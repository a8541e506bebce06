"""Azure Resource Graph: the run's one enumeration of what exists.

Subscriptions are queried in batches; every batch pages with `$skipToken` ordered by id, at
most 1000 rows a page. Within Azure's limits, without losing anything:
- the quota (15 queries per 5 s per identity) is paced by its own headers (arg_quota.py);
  a throttled query is asked again after the reset, never split into more queries;
- an answer over 16 MiB (400 ResponsePayloadTooLarge) is asked again with half the rows,
  down to one; only a single row too large for Resource Graph is a gap;
- rows are read straight from the answer's JSON, parsed once, without building SDK models.
A batch that fails otherwise is retried one subscription at a time, so a gap names only the
subscriptions that really could not be read.

Scope is verified, never trusted: Resource Graph silently leaves out subscriptions the
identity cannot read, so every configured subscription missing from ARM's subscription list
is a `subscription` gap, and a batch answered NoValidSubscriptionsInQueryRequest is one too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
    map_error,
)
from azure.core.rest import HttpRequest
from azure.mgmt.core.exceptions import ARMErrorFormat
from azure.mgmt.resourcegraph.aio import ResourceGraphClient

from auditor.collect import deadline
from auditor.collect.arg_query import INVENTORY_QUERY, SCAN_ORDER, inventory_query
from auditor.collect.arg_quota import QuotaPacer, Sleep, parse_timespan
from auditor.collect.attempt import gap_from_error
from auditor.collect.management_groups import invisible_under_group, subscriptions_under
from auditor.collect.references import property_references
from auditor.config import CollectConfig, ScopeConfig
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.reference import Reference
from auditor.model.resource import Resource
from auditor.normalise.resources import resource_from_row

log = logging.getLogger(__name__)

__all__ = ["INVENTORY_QUERY", "inventory_query", "GraphScope", "InventoryScan", "ResourceGraph", "parse_timespan",
           "subscriptions_in_scope"]

PAGE_SIZE = 1000
_PATH = "/providers/Microsoft.ResourceGraph/resources"
_TOO_LARGE = "ResponsePayloadTooLarge"
_NO_VALID = "NoValidSubscriptionsInQueryRequest"
_VERIFY_SHARE = 0.25     # of the collection deadline left, at most, for verifying a configured scope

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
    tenant_id: str | None = None       # as ARM's subscription list names it


class RowTooLarge(ValueError):
    """One row alone is over Resource Graph's answer limit."""


def error_codes(exc: HttpResponseError) -> set[str]:
    """The ARM error's code and its details' codes."""
    error = getattr(exc, "error", None)
    codes = {str(getattr(error, "code", "") or "")}
    codes |= {str(getattr(d, "code", "") or "") for d in (getattr(error, "details", None) or [])}
    return {c for c in codes if c}


class ResourceGraph:
    """Pages, batches and quota over one ResourceGraphClient."""

    def __init__(self, client: ResourceGraphClient, settings: CollectConfig, sleep: Sleep | None = None) -> None:
        self._client = client
        self._settings = settings
        self.pacer = QuotaPacer(settings.max_retry_wait_seconds, sleep) if sleep is not None \
            else QuotaPacer(settings.max_retry_wait_seconds)
        self.unreadable: set[str] = set()       # lower-case: answered NoValidSubscriptionsInQueryRequest
        self._api_version = str(getattr(getattr(client, "_config", None), "api_version", "") or "2021-03-01")

    @property
    def settings(self) -> CollectConfig:
        return self._settings

    @property
    def quota_waits(self) -> list[float]:
        return self.pacer.waits

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        """One query through the client's pipeline (auth, retries, transport); the JSON is
        parsed once and the rows stay plain dicts. 429s are paced here, not split."""
        attempts = max(1, self._settings.retries + 1)
        for attempt in range(attempts):
            await self.pacer.before_query()
            request = HttpRequest("POST", _PATH, params={"api-version": self._api_version}, json=body)
            # The client's own raw path: its pipeline (credential, retries, transport), no models.
            response = await self._client._send_request(request)
            headers = {k.lower(): v for k, v in response.headers.items()}
            self.pacer.answered(headers)
            if response.status_code == 429 and attempt + 1 < attempts:
                await self.pacer.after_throttle(headers)
                continue
            if response.status_code != 200:
                if response.status_code == 429:
                    self.pacer.throttled += 1
                map_error(status_code=response.status_code, response=response,
                          error_map={401: ClientAuthenticationError, 404: ResourceNotFoundError})
                raise HttpResponseError(response=response, error_format=ARMErrorFormat)
            answer = response.json()
            if not isinstance(answer, dict):
                raise ValueError("Resource Graph answered with something other than a JSON object")
            return answer
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def pages(self, query: str, *, subscriptions: Sequence[str] = (),
                    management_groups: Sequence[str] = ()) -> AsyncIterator[Rows]:
        """Every page of one query; Azure's errors propagate to the caller."""
        skip_token: str | None = None
        top = PAGE_SIZE
        while True:
            options: dict[str, Any] = {"$top": top, "resultFormat": "objectArray"}
            if skip_token:
                options["$skipToken"] = skip_token
            body: dict[str, Any] = {"query": query, "options": options}
            if subscriptions:
                body["subscriptions"] = list(subscriptions)
            if management_groups:
                body["managementGroups"] = list(management_groups)
            try:
                answer = await self._post(body)
            except HttpResponseError as exc:
                if _TOO_LARGE not in error_codes(exc):
                    raise
                if top == 1:
                    raise RowTooLarge(f"a single resource is larger than Resource Graph can answer: {exc.message}"
                                      ) from None
                top = max(1, top // 2)
                log.info("Resource Graph answer too large; asking for %d rows a page", top)
                continue
            data = answer.get("data")
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise ValueError("Resource Graph answered without an object array in data")
            yield data
            skip_token = answer.get("$skipToken") or None
            if not skip_token:
                return

    async def scan(self, query: str, subscriptions: Sequence[str], on_page: PageHandler,
                   progress: Callable[[int, int], None] | None = None,
                   on_rest: Callable[[], None] | None = None) -> list[CoverageGap]:
        """Run `query` over every subscription in batches; returns the gaps.

        `on_rest` is called once the last batch's pages reach rows of `scanOrder` 1: every row
        of order 0 (the collectors' types) has then been handed over, as batches run in turn
        and each orders its rows. Retries one subscription at a time only repeat rows."""
        size = max(1, self._settings.subscription_batch)
        batches = [list(subscriptions[i:i + size]) for i in range(0, len(subscriptions), size)]
        gaps: list[CoverageGap] = []
        for done, batch in enumerate(batches, start=1):
            failure = await self._run(query, batch, on_page, on_rest if done == len(batches) else None)
            if failure is not None and len(batch) > 1 and failure[1]:
                log.info("Resource Graph batch of %d subscriptions failed (%s); retrying one by one",
                         len(batch), failure[0][0].reason.value)
                for subscription in batch:
                    single = await self._run(query, [subscription], on_page)
                    if single is not None:
                        gaps += single[0]
            elif failure is not None:
                gaps += failure[0]
            if progress is not None:
                progress(done, len(batches))
        return gaps

    async def _run(self, query: str, batch: list[str], on_page: PageHandler,
                   on_rest: Callable[[], None] | None = None) -> tuple[list[CoverageGap], bool] | None:
        """One batch to its end: None, or its gaps and whether asking one subscription at a
        time may help (never for throttling, nor for subscriptions the identity cannot read).
        Rows already handed over stay (the caller dedupes by id)."""
        rows_seen = 0
        try:
            async for rows in self.pages(query, subscriptions=batch):
                rows_seen += len(rows)
                reached_rest = on_rest is not None and any(r.get(SCAN_ORDER) == 1 for r in rows)
                on_page(rows)
                if reached_rest and on_rest is not None:
                    on_rest()
                    on_rest = None
        except RowTooLarge as exc:
            return [CoverageGap(Source.ARG, ",".join(batch), GapReason.TOO_LARGE,
                                f"stopped after {rows_seen} rows: {exc}")], False
        except HttpResponseError as exc:
            if _NO_VALID in error_codes(exc):
                self.unreadable |= {s.lower() for s in batch}
                return [CoverageGap(Source.SUBSCRIPTION, s, GapReason.FORBIDDEN,
                                    f"Resource Graph answered {_NO_VALID}: the identity can read none of "
                                    f"the subscriptions asked for") for s in batch], False
            return [_stopped(gap_from_error(Source.ARG, ",".join(batch), exc), rows_seen)], \
                exc.status_code != 429
        except (ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
            return [_stopped(gap_from_error(Source.ARG, ",".join(batch), exc), rows_seen)], True
        return None


def _stopped(gap: CoverageGap, rows_seen: int) -> CoverageGap:
    if not rows_seen:
        return gap
    return CoverageGap(gap.source, gap.target, gap.reason, f"stopped after {rows_seen} rows: {gap.detail}")


async def subscriptions_in_scope(graph: ResourceGraph, scope: ScopeConfig,
                                 subscription_client: Any | None = None,
                                 groups_client: Any | None = None) -> GraphScope:
    """Configured subscriptions that the identity can see; else those under the management
    groups (Resource Graph); else every subscription the identity can see (ARM's subscription
    list, which a fault in one subscription's Resource Graph answers cannot hide). Excluded
    ones are dropped. A configured subscription ARM does not list, or one under a configured
    management group that Resource Graph leaves out, is a `subscription` gap."""
    excluded = {s.lower() for s in scope.exclude_subscriptions}
    gaps: list[CoverageGap] = []
    tenant: str | None = None
    if scope.management_groups and not scope.subscriptions:
        found, gaps = await _discover_by_graph(graph, scope.management_groups)
        if groups_client is not None:
            under, listing_gaps = await subscriptions_under(groups_client, scope.management_groups)
            seen = {f.lower() for f in found}
            gaps += listing_gaps + [invisible_under_group(sub, group) for sub, group in under.items()
                                    if sub not in seen and sub not in excluded]
    elif subscription_client is None:
        found, gaps = (list(scope.subscriptions), []) if scope.subscriptions \
            else await _discover_by_graph(graph, ())
    else:
        visible, tenant, gaps = await _listed_within(_discover_by_arm(subscription_client), graph.settings,
                                                     bounded=bool(scope.subscriptions))
        found = visible
        if scope.subscriptions:
            found = list(scope.subscriptions)
            if not gaps:   # the list was read: what it leaves out is invisible to the identity
                seen = {v.lower() for v in visible}
                found = [s for s in scope.subscriptions if s.lower() in seen]
                gaps = [_invisible(s) for s in scope.subscriptions
                        if s.lower() not in seen and s.lower() not in excluded]
            else:
                gaps = [_unverified(g) for g in gaps]
    chosen = tuple(dict.fromkeys(s for s in found if s.lower() not in excluded))
    return GraphScope(subscriptions=chosen, gaps=tuple(gaps), tenant_id=tenant)


async def _listed_within(listing: Any, settings: CollectConfig, *, bounded: bool
                         ) -> tuple[list[str], str | None, list[CoverageGap]]:
    """ARM's subscription list. When it only verifies a configured scope it may not eat the
    run: bounded by the request budget and a share of the collection deadline left; past
    that, the scope is trusted and the listing is a gap."""
    if not bounded:
        result: tuple[list[str], str | None, list[CoverageGap]] = await listing
        return result
    budget = settings.request_timeout_seconds * (settings.retries + 1)
    left = deadline.remaining()
    if left is not None:
        budget = min(budget, max(0.0, left * _VERIFY_SHARE))
    task = asyncio.ensure_future(listing)
    done, _ = await asyncio.wait({task}, timeout=budget)
    if task not in done:
        task.cancel()     # not awaited: a hung connection's teardown must not hold the run
        return [], None, [CoverageGap(Source.ARM, "tenant", GapReason.TIMEOUT,
                                      f"could not list subscriptions within {budget:.1f} s")]
    result = task.result()
    return result


def _invisible(subscription: str) -> CoverageGap:
    return CoverageGap(Source.SUBSCRIPTION, subscription, GapReason.FORBIDDEN,
                       "in scope but not visible to the audit identity: it holds no role there (or the "
                       "subscription is not in this tenant), and Resource Graph silently leaves such "
                       "subscriptions out")


def _unverified(gap: CoverageGap) -> CoverageGap:
    return CoverageGap(gap.source, gap.target, gap.reason,
                       f"the configured subscriptions could not be verified: {gap.detail}")


async def _discover_by_graph(graph: ResourceGraph, management_groups: Sequence[str]
                             ) -> tuple[list[str], list[CoverageGap]]:
    found: list[str] = []
    target = ",".join(management_groups) if management_groups else "tenant"
    try:
        async for rows in graph.pages(SUBSCRIPTIONS_QUERY, management_groups=management_groups):
            found += [str(r["subscriptionId"]) for r in rows if r.get("subscriptionId")]
    except HttpResponseError as exc:
        if _NO_VALID in error_codes(exc):
            return found, [CoverageGap(Source.ARG, target, GapReason.FORBIDDEN,
                                       f"Resource Graph answered {_NO_VALID}: the identity can read no "
                                       f"subscription there")]
        return found, [_listing_gap(Source.ARG, target, exc)]
    except (ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
        return found, [_listing_gap(Source.ARG, target, exc)]
    return found, [] if found else [_nothing_visible(Source.ARG, target)]


async def _discover_by_arm(client: Any) -> tuple[list[str], str | None, list[CoverageGap]]:
    found: list[str] = []
    tenants: list[str] = []
    try:
        async for subscription in client.subscriptions.list():
            state = str(getattr(subscription, "state", "") or "").lower()
            if subscription.subscription_id and state not in ("disabled", "deleted"):
                found.append(subscription.subscription_id)
                tenants.append(str(getattr(subscription, "tenant_id", "") or ""))
    except (HttpResponseError, ServiceRequestError, ServiceResponseError, ValueError, TimeoutError) as exc:
        return found, None, [_listing_gap(Source.ARM, "tenant", exc)]
    tenant = next((t for t in tenants if t), None)
    return found, tenant, [] if found else [_nothing_visible(Source.ARM, "tenant")]


def _listing_gap(source: Source, target: str, exc: BaseException) -> CoverageGap:
    gap = gap_from_error(source, target, exc)
    return CoverageGap(gap.source, gap.target, gap.reason, f"could not list subscriptions: {gap.detail}")


def _nothing_visible(source: Source, target: str) -> CoverageGap:
    return CoverageGap(source, target, GapReason.NOT_FOUND, "the identity can see no subscription")


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
            row.pop(SCAN_ORDER, None)
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
