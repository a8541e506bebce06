"""Entra ID app registrations' redirect URIs, read from Microsoft Graph over the run's session.

Only when `collect.graph` is on. Reading applications needs Application.Read.All; without it
Graph answers 401/403 and the audit says so as a gap rather than reporting no dependents.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from azure.core.exceptions import ClientAuthenticationError

from auditor.collect import deadline
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.model import CoverageGap, GapReason, Source
from auditor.normalise.entra import application_references

TARGET = "applications"
SELECT = "id,appId,displayName,web,spa,publicClient"
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_MAX_PAGES = 10_000


class GraphError(Exception):
    def __init__(self, reason: GapReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    if not run.context.config.collect.graph:
        return partial
    apps: list[dict[str, Any]] = []
    pages = 0
    try:
        token = (await run.clients.credential.get_token(run.context.cloud.graph_scope)).token
        url: str | None = f"{run.context.cloud.graph.rstrip('/')}/v1.0/applications?$select={SELECT}"
        while url is not None:
            if pages >= _MAX_PAGES:
                raise GraphError(GapReason.TRUNCATED, f"stopped after {pages} pages")
            body = await _get_json(run, url, token)
            pages += 1
            value = body.get("value")
            if not isinstance(value, list):
                raise GraphError(GapReason.MALFORMED, "answer without a value array")
            apps += [a for a in value if isinstance(a, dict)]
            next_link = body.get("@odata.nextLink")
            url = next_link if isinstance(next_link, str) and next_link else None
    except ClientAuthenticationError as exc:
        partial.gaps.append(CoverageGap(Source.GRAPH, TARGET, GapReason.FORBIDDEN,
                                        f"no Graph token: {str(exc).splitlines()[0][:200] if str(exc) else ''}"))
    except GraphError as exc:
        suffix = f" (after {len(apps)} applications)" if apps else ""
        partial.gaps.append(CoverageGap(Source.GRAPH, TARGET, exc.reason, exc.detail + suffix))
    for app in apps:
        partial.references += application_references(app)
    return partial


async def _get_json(run: CollectRun, url: str, token: str) -> dict[str, Any]:
    settings = run.context.config.collect
    for tries_left in range(settings.retries, -1, -1):
        try:
            # Each try is cut at the request timeout, or at the collection deadline if sooner,
            # counted from when it has a slot (the slot itself is waited for within the deadline).
            async with asyncio.timeout(deadline.remaining()), run.limit:
                left = deadline.remaining()
                total = settings.request_timeout_seconds if left is None else \
                    min(settings.request_timeout_seconds, max(left, 0.001))
                async with run.clients.session.get(
                    url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                    timeout=aiohttp.ClientTimeout(total=total),
                ) as response:
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    raw = await response.read()
        except TimeoutError:
            if (deadline.remaining() or 1) <= 0:
                raise GraphError(GapReason.TIMEOUT, _deadline_detail()) from None
            raise GraphError(GapReason.TIMEOUT, f"no answer within {settings.request_timeout_seconds:g}s") from None
        except aiohttp.ClientError as exc:
            raise GraphError(GapReason.UNAVAILABLE, f"{type(exc).__name__}: {exc}"[:300]) from None
        if status in (401, 403):
            raise GraphError(GapReason.FORBIDDEN,
                             f"HTTP {status}: the identity needs the Application.Read.All permission on Microsoft Graph")
        if status in _RETRY_STATUSES and tries_left > 0:
            wait = _wait_seconds(retry_after, settings.max_retry_wait_seconds)
            if retry_after is not None and wait > settings.max_retry_wait_seconds:
                raise GraphError(GapReason.THROTTLED, f"HTTP {status}: Retry-After {wait:g} s exceeds "
                                 f"collect.max_retry_wait_seconds = {settings.max_retry_wait_seconds:g}; not waited")
            await asyncio.sleep(wait)
            continue
        if status == 429:
            raise GraphError(GapReason.THROTTLED, "HTTP 429 past the retry budget")
        if status != 200:
            raise GraphError(GapReason.NOT_FOUND if status == 404 else GapReason.UNAVAILABLE, f"HTTP {status}")
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GraphError(GapReason.MALFORMED, f"not JSON: {exc}"[:300]) from None
        if not isinstance(body, dict):
            raise GraphError(GapReason.MALFORMED, "answer is not a JSON object")
        return body
    raise GraphError(GapReason.UNAVAILABLE, "no answer")


def _deadline_detail() -> str:
    current = deadline.current()
    return current.detail() if current is not None else "collection deadline reached"


def _wait_seconds(retry_after: str | None, cap: float) -> float:
    try:
        wait = float(retry_after) if retry_after is not None else 1.0
    except ValueError:
        wait = 1.0
    # A Retry-After longer than `cap` is returned as asked: the caller makes it a throttled gap.
    if retry_after is None:
        return max(0.0, min(wait, cap))
    return max(0.0, wait)


COLLECTOR = Collector(name="entra", types=(), collect=collect)
