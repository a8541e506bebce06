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
        if status == 0 and "json" in detail.lower():
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
    raise exc


async def attempt(source: Source, target: str, work: Awaitable[T]) -> Attempt[T]:
    """Run one read; an Azure, network or parse failure becomes a named gap.

    Programming errors other than those are not swallowed: they propagate.
    """
    try:
        return Attempt(await work, None)
    except (HttpResponseError, ServiceRequestError, ServiceResponseError, DecodeError,
            DeserializationError, TimeoutError, ValueError, KeyError, TypeError) as exc:
        return Attempt(None, gap_from_error(source, target, exc))


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
