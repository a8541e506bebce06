"""Entra ID app registrations' redirect URIs and enterprise applications' (service principals')
reply URLs, read from Microsoft Graph over the run's session.

Only when `collect.graph` is on. Reading either needs Application.Read.All; without it Graph
answers 401/403 and the audit says so as a gap rather than reporting no dependents.
A tenant's own app registration has a service principal whose replyUrls mirror its redirect URIs;
those are named once, on the app registration, where they are changed.
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
from auditor.normalise.entra import application_references, service_principal_references

TARGET = "applications"
SELECT = "id,appId,displayName,web,spa,publicClient"
SP_TARGET = "servicePrincipals"
SP_SELECT = "id,appId,displayName,servicePrincipalType,replyUrls,loginUrl,logoutUrl"
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
    try:
        token = (await run.clients.credential.get_token(run.context.cloud.graph_scope)).token
    except ClientAuthenticationError as exc:
        detail = f"no Graph token: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        partial.gaps += [CoverageGap(Source.GRAPH, t, GapReason.FORBIDDEN, detail) for t in (TARGET, SP_TARGET)]
        return partial
    apps = await _list(run, partial, token, TARGET, SELECT)
    sps = await _list(run, partial, token, SP_TARGET, SP_SELECT)
    registered: set[tuple[str, str]] = set()
    for app in apps:
        refs = application_references(app)
        partial.references += refs
        registered |= {(str(app.get("appId") or "").lower(), r.hostname) for r in refs}
    for sp in sps:
        app_id = str(sp.get("appId") or "").lower()
        partial.references += [r for r in service_principal_references(sp) if (app_id, r.hostname) not in registered]
    return partial


async def _list(run: CollectRun, partial: Partial, token: str, target: str, select: str) -> list[dict[str, Any]]:
    """Every page of one Graph collection; what could not be read is a gap on it (the pages
    read before it still count)."""
    found: list[dict[str, Any]] = []
    pages = 0
    url: str | None = f"{run.context.cloud.graph.rstrip('/')}/v1.0/{target}?$select={select}"
    try:
        while url is not None:
            if pages >= _MAX_PAGES:
                raise GraphError(GapReason.TRUNCATED, f"stopped after {pages} pages")
            body = await _get_json(run, url, token)
            pages += 1
            value = body.get("value")
            if not isinstance(value, list):
                raise GraphError(GapReason.MALFORMED, "answer without a value array")
            found += [a for a in value if isinstance(a, dict)]
            next_link = body.get("@odata.nextLink")
            url = next_link if isinstance(next_link, str) and next_link else None
    except GraphError as exc:
        suffix = f" (after {len(found)} {target})" if found else ""
        partial.gaps.append(CoverageGap(Source.GRAPH, target, exc.reason, exc.detail + suffix))
    return found


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
