"""Fault injection shared by every emulator service (faults.json)."""

from __future__ import annotations

import threading

from auditor.estate.load import Fault


class FaultPlan:
    """Answers "does this request fail, and how?"; counts down `times` per fault."""

    def __init__(self, faults: list[Fault]) -> None:
        self._faults = list(faults)
        self._used = [0] * len(self._faults)
        self._lock = threading.Lock()

    def replace(self, faults: list[Fault]) -> None:
        """A new plan for the running emulator (tests swap faults between runs of one estate)."""
        with self._lock:
            self._faults = list(faults)
            self._used = [0] * len(self._faults)

    def take(self, service: str, key: str) -> Fault | None:
        """The first fault for `service` whose match is a substring of `key` (case-insensitive)
        and that still has uses left; consumes one use."""
        lowered = key.lower()
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.service != service or fault.match.lower() not in lowered:
                    continue
                if fault.times is not None and self._used[i] >= fault.times:
                    continue
                self._used[i] += 1
                return fault
        return None
