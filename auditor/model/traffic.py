"""Requests for a host name seen in the access logs Azure keeps (Log Analytics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TrafficSummary:
    """One host name's requests through one resource over the traffic window."""

    hostname: str                  # lower-case, no trailing dot, as the client asked for it
    resource_id: str               # the resource that logged the requests
    workspace: str                 # the Log Analytics workspace's ARM id
    table: str                     # AzureDiagnostics, AppServiceHTTPLogs, AGWAccessLogs, ...
    requests: int
    clients: int                   # distinct client addresses
    first_seen: datetime | None
    last_seen: datetime | None
    paths: tuple[str, ...] = ()    # a sample of request paths (at most five)
    statuses: tuple[str, ...] = () # HTTP status codes seen (at most ten)
