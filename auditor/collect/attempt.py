"""Failures are data: every read returns a value or a CoverageGap, never silence."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Generic, TypeVar

from azure.core.exceptions import (
    ClientAuthenticationError,
    DecodeError,
    DeserializationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)

from auditor.collect import deadline
from auditor.collect.bounded import RetryAfterTooLong
from auditor.model.common import CoverageGap, GapReason, Source

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    value: T | None
    gap: CoverageGap | None

    @property
    def ok(self) -> bool:
        return self.gap is None


def gap_from_error(source: Source, target: str, exc: BaseException) -> CoverageGap:
    """Classify an SDK or network error into the report's gap reasons."""
    too_long = _retry_after_too_long(exc)
    if too_long is not None:
        return CoverageGap(source, target, GapReason.THROTTLED, too_long.detail)
    detail = _short(exc)
    if isinstance(exc, DecodeError | DeserializationError):
        return CoverageGap(source, target, GapReason.MALFORMED, detail)
    if isinstance(exc, ResourceNotFoundError):
        return CoverageGap(source, target, GapReason.NOT_FOUND, detail)
    if isinstance(exc, ClientAuthenticationError):
        return CoverageGap(source, target, GapReason.FORBIDDEN, detail)
    if isinstance(exc, HttpResponseError):
        status = exc.status_code or 0
        if status in (401, 403):
            return CoverageGap(source, target, GapReason.FORBIDDEN, detail)
        if status == 404:
            return CoverageGap(source, target, GapReason.NOT_FOUND, detail)
        if status == 429:
            return CoverageGap(source, target, GapReason.THROTTLED, detail)
        if (status == 0 or 200 <= status < 300) and "json" in detail.lower():
            # A success whose body could not be parsed (some SDKs re-raise the decode error
            # as an HttpResponseError carrying the 200)
            return CoverageGap(source, target, GapReason.MALFORMED, detail)
        return CoverageGap(source, target, GapReason.UNAVAILABLE, detail)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return CoverageGap(source, target, GapReason.TIMEOUT, detail or "timed out")
    if isinstance(exc, ServiceResponseError | ServiceRequestError):
        reason = GapReason.TIMEOUT if "timeout" in detail.lower() or "timed out" in detail.lower() \
            else GapReason.UNAVAILABLE
        return CoverageGap(source, target, reason, detail)
    if isinstance(exc, ValueError | KeyError | TypeError):
        return CoverageGap(source, target, GapReason.MALFORMED, detail)
    if isinstance(exc, RecursionError):
        return CoverageGap(source, target, GapReason.MALFORMED, "answer nested too deeply to read")
    raise exc


async def attempt(source: Source, target: str, work: Awaitable[T], *, grace: float = 0.0) -> Attempt[T]:
    """Run one read; an Azure, network or parse failure becomes a named gap.

    Past the run's collection deadline (plus `grace`, for a read that wraps others) the
    read is cut off and is a `timeout` gap naming its target.
    Programming errors other than those are not swallowed: they propagate.
    """
    left = deadline.remaining(grace)
    if left is not None and left <= 0:
        _close(work)
        return Attempt(None, _deadline_gap(source, target))
    try:
        if left is None:
            return Attempt(await work, None)
        try:
            return Attempt(await asyncio.wait_for(work, left), None)
        except TimeoutError:
            still = deadline.remaining(grace)
            if still is not None and still <= 0:
                return Attempt(None, _deadline_gap(source, target))
            raise
    except (HttpResponseError, ServiceRequestError, ServiceResponseError, DecodeError,
            DeserializationError, TimeoutError, ValueError, KeyError, TypeError, RecursionError) as exc:
        return Attempt(None, gap_from_error(source, target, exc))


def _deadline_gap(source: Source, target: str) -> CoverageGap:
    current = deadline.current()
    detail = current.detail() if current is not None else "collection deadline reached"
    return CoverageGap(source, target, GapReason.TIMEOUT, detail)


def _close(work: Awaitable[object]) -> None:
    """A coroutine never awaited is closed, so Python does not warn about it."""
    close = getattr(work, "close", None)
    if callable(close):
        close()


def _retry_after_too_long(exc: BaseException) -> RetryAfterTooLong | None:
    """The refused wait, also where an SDK re-raised it as a plain HttpResponseError
    (azure-monitor-query's process_error keeps only the response)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, RetryAfterTooLong):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _short(exc: BaseException) -> str:
    error = getattr(exc, "error", None) if isinstance(exc, HttpResponseError) else None
    if error is not None and (error.code or error.message):
        # ARM's error body says why (e.g. the KQL problem in a Resource Graph 400) in its
        # details; the top message often carries only a correlation id, so it goes last.
        details = [_first_line(getattr(d, "message", None)) for d in (getattr(error, "details", None) or [])[:3]]
        parts = [error.code, *details, _first_line(error.message)]
        return f"{type(exc).__name__}: " + ": ".join(p for p in parts if p)[:400]
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first}"[:300]


def _first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""
