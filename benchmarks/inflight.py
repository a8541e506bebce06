"""Requests in flight at the emulator's HTTPS port, per service, and the most seen at once.

The emulator reads a service's latency as each HTTPS request arrives (before the delay,
before the handler) and logs the request as its answer leaves. Counting between those two
points gives what the emulator was serving at every moment, without changing the emulator.
DNS and TLS read their latency once at start-up, so they are not counted here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from auditor.emulator.requestlog import RequestLog

HTTPS_SERVICES = frozenset({"arm", "arg", "keyvault", "token", "graph", "logs", "unknown"})
# The calls collect.concurrency bounds: every ARM, Key Vault and Graph call a collector makes.
BOUNDED_SERVICES = frozenset({"arm", "keyvault", "graph"})


class InFlight:
    def __init__(self, groups: dict[str, Iterable[str]] | None = None) -> None:
        self._lock = threading.Lock()
        self._now: dict[str, int] = {}
        self.peaks: dict[str, int] = {}
        self.entered: dict[str, int] = {}
        # name -> services counted together (e.g. every call collect.concurrency bounds)
        self._groups = {name: frozenset(members) for name, members in (groups or {}).items()}

    def _names(self, service: str) -> list[str]:
        return [service] + [g for g, members in self._groups.items() if service in members]

    def enter(self, service: str) -> None:
        with self._lock:
            self.entered[service] = self.entered.get(service, 0) + 1
            for name in self._names(service):
                now = self._now.get(name, 0) + 1
                self._now[name] = now
                self.peaks[name] = max(self.peaks.get(name, 0), now)

    def leave(self, service: str) -> None:
        with self._lock:
            for name in self._names(service):
                self._now[name] = self._now.get(name, 0) - 1

    def open_now(self) -> dict[str, int]:
        """Requests entered and not yet answered: all zero once a run is over."""
        with self._lock:
            return {name: n for name, n in self._now.items() if n}


class CountingLatency(dict[str, float]):
    """The emulator's latency table; every HTTPS request's look-up marks its arrival."""

    def __init__(self, latency: dict[str, float], in_flight: InFlight) -> None:
        super().__init__(latency)
        self._in_flight = in_flight

    def get(self, service: str, default: float | None = None) -> float | None:  # type: ignore[override]
        if service in HTTPS_SERVICES:
            self._in_flight.enter(service)
        return super().get(service, default)


class CountingLog(RequestLog):
    """The emulator's request log; every logged HTTPS answer marks a request's departure."""

    def __init__(self, in_flight: InFlight) -> None:
        super().__init__()
        self._in_flight = in_flight

    def add(self, service: str, key: str, status: str) -> None:
        super().add(service, key, status)
        if service in HTTPS_SERVICES:
            self._in_flight.leave(service)
