"""The run's overall collection deadline (`collect.deadline_seconds`).

One monotonic instant for the whole run, held in a context variable so every read
(`attempt()`), every DNS name and every stage can ask how long is left without the
deadline being threaded through each collector. Past it, what is left is a named
`timeout` gap and the report is still written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    at: float            # time.monotonic() value
    seconds: float       # as configured, for the gap's wording

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def detail(self) -> str:
        return f"collection deadline of {self.seconds:g} s (collect.deadline_seconds) reached"


_CURRENT: ContextVar[Deadline | None] = ContextVar("auditor_collect_deadline", default=None)


def current() -> Deadline | None:
    return _CURRENT.get()


def remaining(grace: float = 0.0) -> float | None:
    """Seconds left (plus `grace`), or None when the run has no deadline."""
    deadline = _CURRENT.get()
    return None if deadline is None else deadline.remaining() + grace


@contextmanager
def collection_deadline(seconds: float) -> Iterator[Deadline]:
    """Sets the deadline for everything awaited inside (tasks copy the context at creation)."""
    existing = _CURRENT.get()
    if existing is not None:
        yield existing
        return
    deadline = Deadline(time.monotonic() + seconds, seconds)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)
