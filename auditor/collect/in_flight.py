"""The bound on ARM, Key Vault and Graph calls in flight, which a call waiting for ARM's read
bucket does not occupy.

`collect.concurrency` bounds what is on the wire at once. A call that holds a slot while it
waits for a token of its subscription's bucket (arm_pacing.py) is not on the wire, yet it
would keep Key Vault and Graph reads, which ARM's buckets do not limit, from using the slot:
at 100,000 resources the ARM reads of a few subscriptions filled every slot and Key Vault
waited behind them. So the slot is handed back while the call waits, and taken again before
it is sent. Only the task that took the slot can hand it back.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class _Held:
    slots: InFlight
    task: asyncio.Task[Any] | None
    held: bool = True


_HELD: contextvars.ContextVar[tuple[_Held, ...]] = contextvars.ContextVar("auditor_in_flight", default=())


class InFlight(asyncio.Semaphore):
    """An asyncio.Semaphore whose holder may step aside while it waits on a rate limit."""

    async def __aenter__(self) -> None:
        await self.acquire()
        _HELD.set((*_HELD.get(), _Held(self, asyncio.current_task())))

    async def __aexit__(self, *exc: object) -> None:
        stack = _HELD.get()
        entry = stack[-1] if stack and stack[-1].slots is self else None
        if entry is not None:
            _HELD.set(stack[:-1])
        if entry is None or entry.held:
            self.release()


@asynccontextmanager
async def step_aside() -> AsyncIterator[None]:
    """While inside, the current task's innermost slot serves others; it is taken back after."""
    stack = _HELD.get()
    entry = stack[-1] if stack else None
    if entry is None or not entry.held or entry.task is not asyncio.current_task():
        yield
        return
    entry.slots.release()
    entry.held = False
    try:
        yield
    finally:
        await entry.slots.acquire()     # cancelled here: not held, and __aexit__ will not release
        entry.held = True
