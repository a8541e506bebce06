"""Azure's throttles, as the emulator enforces them.

Resource Graph: a quota of queries per 5-second window per identity; every answer carries
`x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (hh:mm:ss), and past the quota
the answer is 429 with those headers and no Retry-After
(https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).

ARM reads: a token bucket per subscription and identity, refilled every second; every answer
carries `x-ms-ratelimit-remaining-subscription-reads`, and an empty bucket answers 429 with
Retry-After (https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling).
The emulator serves one identity, so "per identity" is per emulator.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

QUOTA_WINDOW_SECONDS = 5.0

Clock = Callable[[], float]


def hh_mm_ss(seconds: float) -> str:
    """Whole seconds, rounded up: a client that waits what it is told never arrives early."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class QuotaWindow:
    """Resource Graph's per-identity query quota over a fixed window that starts at the
    first query after the previous window ran out."""

    def __init__(self, quota: int = 15, clock: Clock = time.monotonic) -> None:
        self._quota = quota
        self._clock = clock
        self._start: float | None = None
        self._used = 0
        self._lock = threading.Lock()

    def _roll(self, now: float) -> None:
        if self._start is None or now - self._start >= QUOTA_WINDOW_SECONDS:
            self._start, self._used = now, 0

    def take(self) -> tuple[bool, dict[str, str]]:
        """(admitted, headers). A refused query does not count against the quota."""
        with self._lock:
            now = self._clock()
            self._roll(now)
            admitted = self._used < self._quota
            if admitted:
                self._used += 1
            return admitted, self._headers(now)

    def headers(self) -> dict[str, str]:
        """The headers for an answer that was not a query (a malformed request)."""
        with self._lock:
            now = self._clock()
            self._roll(now)
            return self._headers(now)

    def _headers(self, now: float) -> dict[str, str]:
        assert self._start is not None
        resets = QUOTA_WINDOW_SECONDS - (now - self._start)
        return {"x-ms-user-quota-remaining": str(max(self._quota - self._used, 0)),
                "x-ms-user-quota-resets-after": hh_mm_ss(resets)}


class TokenBuckets:
    """ARM's read buckets, one per subscription (tenant-level reads share one)."""

    def __init__(self, size: int = 250, per_second: int = 25, clock: Clock = time.monotonic) -> None:
        self._size = float(size)
        self._rate = float(per_second)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}   # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> tuple[bool, dict[str, str]]:
        """(admitted, headers): the remaining-reads header always, Retry-After when refused."""
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.get(key, (self._size, now))
            tokens = min(self._size, tokens + (now - at) * self._rate)
            admitted = tokens >= 1.0
            if admitted:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
        headers = {"x-ms-ratelimit-remaining-subscription-reads": str(int(tokens))}
        if not admitted:
            headers["Retry-After"] = str(max(1, math.ceil((1.0 - tokens) / self._rate)))
        return admitted, headers
