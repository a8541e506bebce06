"""Resource Graph's per-identity quota, read from the headers every answer carries.

Resource Graph allows a number of queries per window (15 per 5 s by default) and says in
`x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (hh:mm:ss) how many are left
and when the window resets. Its 429 carries no Retry-After, and azure-core retries a POST 429
only with one (https://github.com/Azure/azure-sdk-for-python/issues/16623), so the pacing is
ours: wait for the reset before a query the quota has no room for, and after a 429 wait for
the reset and ask the same query again, never more queries.
(https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
# Resource Graph's window; also the wait when a 429 says nothing about when to come back.
WINDOW_SECONDS = 5.0
DEFAULT_WAIT_SECONDS = WINDOW_SECONDS


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


def _remaining(headers: Mapping[str, str]) -> int | None:
    text = (headers.get("x-ms-user-quota-remaining") or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


class QuotaPacer:
    """Keeps one identity's Resource Graph queries within the quota the answers report."""

    def __init__(self, max_wait_seconds: float, sleep: Sleep = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._max_wait = max(0.0, max_wait_seconds)
        self._sleep = sleep
        self._clock = clock
        self._remaining: int | None = None
        self._last_remaining: int | None = None
        self._window_seen = 0.0
        self._resets_at = 0.0
        self.queries = 0
        self.throttled = 0
        self.waits: list[float] = []

    async def before_query(self) -> None:
        """Waits out the window when the last answer said no query is left in it."""
        if self._remaining is not None and self._remaining <= 0:
            wait = self._resets_at - self._clock()
            if wait > 0:
                log.info("Resource Graph quota used up; waiting %.1f s for it to reset", wait)
                await self._wait(wait)
            self._remaining = None
        self.queries += 1

    def answered(self, headers: Mapping[str, str]) -> None:
        remaining = _remaining(headers)
        if remaining is None:
            return
        now = self._clock()
        if self._last_remaining is None or remaining > self._last_remaining:
            self._window_seen = now             # the first answer of a new window
        self._last_remaining = remaining
        self._remaining = remaining
        resets = parse_timespan(headers.get("x-ms-user-quota-resets-after", "")) or 0.0
        # The header is whole seconds, rounded up: the reset is within its last second. The
        # window began before its first answer came back, so that answer + 5 s is never early;
        # it is used only inside the second the header allows.
        latest = now + resets
        self._resets_at = max(latest - 1.0, min(latest, self._window_seen + WINDOW_SECONDS))

    async def after_throttle(self, headers: Mapping[str, str]) -> None:
        """A 429: wait until the quota resets (or Retry-After, when a proxy sent one)."""
        self.throttled += 1
        wait = parse_timespan(headers.get("x-ms-user-quota-resets-after", "")) \
            or parse_timespan(headers.get("retry-after", "")) or DEFAULT_WAIT_SECONDS
        log.info("Resource Graph throttled the query; waiting %.1f s before asking it again", wait)
        self._remaining = None
        await self._wait(wait)

    async def _wait(self, seconds: float) -> None:
        bounded = min(seconds, self._max_wait)
        self.waits.append(bounded)
        await self._sleep(bounded)
