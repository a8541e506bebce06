"""Everything the HTTPS handlers share for one emulator instance."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from auditor.cloud import CloudEndpoints
from auditor.emulator.faults import FaultPlan
from auditor.emulator.http.auth import TokenStore
from auditor.emulator.requestlog import RequestLog
from auditor.estate.load import Estate

# How long a "timeout" fault holds a request: longer than any client's read timeout,
# yet bounded, and cut short when the emulator stops.
TIMEOUT_HOLD_SECONDS = 60.0


@dataclass
class HttpState:
    estate: Estate
    cloud: CloudEndpoints
    faults: FaultPlan
    log: RequestLog
    tokens: TokenStore
    latency: dict[str, float] = field(default_factory=dict)
    arm_page_size: int = 100
    stopping: asyncio.Event | None = None   # created on the server's loop

    def delay(self, service: str) -> float:
        return float(self.latency.get(service, 0.0))
