"""ARM's read bucket, kept on the audit's side, so that a large estate never empties it.

ARM throttles each subscription's requests with a token bucket per principal: 250 reads,
refilled at 25 a second (https://learn.microsoft.com/en-us/azure/azure-resource-manager/
management/request-limits-and-throttling), and says what is left on every answer in
`x-ms-ratelimit-remaining-subscription-reads`. Asking faster than the refill only earns 429s,
each one a wasted request and a Retry-After wait, and past `collect.retries` a gap. So every
request under a subscription first takes a token from a local copy of that bucket, and every
answer's header lowers the copy to what ARM says is left (other clients of the same identity
share the bucket). POST list actions are paced with the reads: more careful than ARM's own
accounting (it counts them as writes, a bucket of their own), never less.

A request on its way has taken its token here but may not have been counted by ARM yet, so
the header of an answer is what was left before the requests sent after it arrive: the copy
is lowered to that count less those still on their way, and never holds more than the
bucket's size less all requests on their way. Otherwise every answer would hand the in-flight requests' tokens out a second
time, and requests that queue (in the pool, on the wire, at ARM) and then arrive together
would meet 429s.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import AsyncHTTPPolicy

from auditor.collect.in_flight import step_aside

# ARM's bucket is 250 reads refilled at 25 a second. Ours is a little smaller and slower: ARM
# counts a request when it arrives and ours when it leaves, and its header cannot count the
# requests still on their way, so a copy of exactly ARM's size runs out a few requests late.
READS_BUCKET = 240
READS_PER_SECOND = 24.0
_HEADER = "x-ms-ratelimit-remaining-subscription-reads"
_EPSILON = 1e-9
_MIN_WAIT = 0.001
_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/?#]+)", re.IGNORECASE)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]


class ReadBuckets:
    """One local bucket per subscription, and the requests on their way to it."""

    def __init__(self, size: int = READS_BUCKET, per_second: float = READS_PER_SECOND,
                 clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self._size = float(size)
        self._rate = per_second
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, tuple[float, float]] = {}    # subscription -> (tokens, at)
        self._in_flight: dict[str, dict[int, None]] = {}       # subscription -> tickets sent, not answered
        self._tickets = 0
        self._lines: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}
        self.waited = 0.0                                      # seconds spent waiting, all callers

    def _level(self, key: str) -> float:
        now = self._clock()
        tokens, at = self._buckets.get(key, (self._size, now))
        room = self._size - len(self._in_flight.get(key, ()))
        return max(0.0, min(room, tokens + (now - at) * self._rate))

    def _took(self, key: str, tokens: float) -> int:
        self._buckets[key] = (max(0.0, tokens - 1.0), self._clock())
        self._tickets += 1
        self._in_flight.setdefault(key, {})[self._tickets] = None
        return self._tickets

    def try_take(self, key: str) -> int | None:
        """Take a token if one is there and nobody waits in line for one: the request's
        ticket, else None (the caller joins the line with take)."""
        line = self._lines.get(key)
        if line is not None and line[1].locked():
            return None
        tokens = self._level(key)
        if tokens < 1.0 - _EPSILON:
            return None
        return self._took(key, tokens)

    async def take(self, key: str) -> int:
        """Wait until the bucket holds a token, and take it: the request's ticket. Callers
        wait in line and only the first one watches the clock: with thousands waiting, each
        token wakes one caller, not all of them."""
        ticket = self.try_take(key)
        if ticket is not None:
            return ticket
        async with self._line(key):
            while True:
                tokens = self._level(key)
                if tokens >= 1.0 - _EPSILON:
                    return self._took(key, tokens)
                self._buckets[key] = (tokens, self._clock())
                # At least a millisecond: a wait lost in the clock's rounding would spin.
                wait = max(_MIN_WAIT, (1.0 - tokens) / self._rate)
                self.waited += wait
                await self._sleep(wait)

    def _line(self, key: str) -> asyncio.Lock:
        """The subscription's waiting line (asyncio.Lock wakes its waiters first come, first
        served), one per event loop: a lock belongs to the loop it first waited in."""
        loop = asyncio.get_running_loop()
        line = self._lines.get(key)
        if line is None or line[0] is not loop:
            line = (loop, asyncio.Lock())
            self._lines[key] = line
        return line[1]

    def answered(self, key: str, ticket: int, remaining: int | None) -> None:
        """The request with `ticket` is answered (or failed): it is no longer on its way.
        ARM's `remaining`, less the requests sent after it and still on their way (those sent
        before it were counted first), is the truth when it is lower: another client of the
        identity may have taken tokens. None: the answer said nothing."""
        pending = self._in_flight.get(key, {})
        pending.pop(ticket, None)
        if remaining is None:
            return
        later = sum(1 for t in pending if t > ticket)       # at most the calls in flight
        tokens = self._level(key)
        ceiling = float(max(0, remaining - later))
        if ceiling < tokens:
            self._buckets[key] = (ceiling, self._clock())

    def in_flight(self, key: str) -> int:
        return len(self._in_flight.get(key, ()))


# A token taken before the call queued for its in-flight slot: (subscription, ticket).
_PREPAID: contextvars.ContextVar[tuple[str, int] | None] = contextvars.ContextVar("auditor_arm_prepaid",
                                                                                  default=None)


@asynccontextmanager
async def prepaid(buckets: ReadBuckets, resource_id: str) -> AsyncIterator[None]:
    """Wait for a token of `resource_id`'s subscription first, then let the ARM call inside
    use it. Taken before the call queues for its in-flight slot (in_flight.py), the wait keeps
    thousands of paced ARM calls out of the queue Key Vault's reads wait in; without it each
    of them takes a slot, finds no token, hands the slot back and queues again."""
    key = subscription_of(resource_id)
    if key is None:
        yield
        return
    ticket = await buckets.take(key)
    token = _PREPAID.set((key, ticket))
    try:
        yield
    finally:
        if _PREPAID.get() is not None:          # no request used it: the token stays spent
            buckets.answered(key, ticket, None)
        _PREPAID.reset(token)


def _use_prepaid(key: str) -> int | None:
    held = _PREPAID.get()
    if held is None or held[0] != key:
        return None
    _PREPAID.set(None)                          # one request only: pages and retries take their own
    return held[1]


def subscription_of(url: str) -> str | None:
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE)
    match = _SUBSCRIPTION.match(path)
    return match.group(1).lower() if match else None


class ArmReadPacing(AsyncHTTPPolicy):  # type: ignore[type-arg]
    """A per-retry policy: each attempt, retries included, takes a token first."""

    def __init__(self, buckets: ReadBuckets) -> None:
        super().__init__()
        self._buckets = buckets

    async def send(self, request: PipelineRequest) -> PipelineResponse:  # type: ignore[type-arg]
        key = subscription_of(request.http_request.url)
        if key is None:
            return await self.next.send(request)
        ticket = _use_prepaid(key)
        if ticket is None:
            ticket = self._buckets.try_take(key)
        if ticket is None:
            async with step_aside():        # waiting is not being in flight: the slot serves others
                ticket = await self._buckets.take(key)
        remaining: int | None = None
        try:
            response = await self.next.send(request)
            if response.http_response.status_code == 429:
                remaining = 0               # ARM says the bucket is empty, whatever ours says
            else:
                header = response.http_response.headers.get(_HEADER)
                if header is not None and header.strip().isdigit():
                    remaining = int(header.strip())
            return response
        finally:
            # A request with no answer (timeout, reset) may have been counted: its token stays spent.
            self._buckets.answered(key, ticket, remaining)
