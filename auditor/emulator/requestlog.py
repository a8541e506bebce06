"""What the emulator was asked, per service: for tests and benchmarks."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoggedRequest:
    service: str      # arm | arg | keyvault | token | dns | tls
    key: str          # method and path, query name and type, or SNI host
    status: str       # "200", "429", "NXDOMAIN", "handshake", "fault:timeout", ...
    # time.monotonic() when the answer was logged: lets a benchmark see how long a client
    # waited after a 429 before asking again.
    at: float = field(default=0.0, compare=False)


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def add(self, service: str, key: str, status: str) -> None:
        with self._lock:
            self._entries.append(LoggedRequest(service, key, status, time.monotonic()))

    def entries(self, service: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            return [e for e in self._entries if service is None or e.service == service]

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(Counter(e.service for e in self._entries))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
