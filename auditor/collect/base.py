"""What one collector is given and what it contributes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.collect.clients import ClientFactory
from auditor.collect.context import CollectContext
from auditor.model import (
    Binding,
    Certificate,
    CoverageGap,
    CustomDomain,
    DnsRecord,
    Reference,
    Resource,
)


@dataclass
class Partial:
    """One collector's contribution to the inventory (mutable while it is built)."""

    resources: list[Resource] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    custom_domains: list[CustomDomain] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    dns_records: list[DnsRecord] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)

    def merge(self, other: Partial) -> None:
        self.resources += other.resources
        self.certificates += other.certificates
        self.custom_domains += other.custom_domains
        self.bindings += other.bindings
        self.dns_records += other.dns_records
        self.references += other.references
        self.gaps += other.gaps


@dataclass
class CollectRun:
    """Shared by every collector in one run."""

    context: CollectContext
    clients: ClientFactory
    # Resource Graph rows by lower-case type, for the types the collectors asked for.
    rows: Mapping[str, Sequence[dict[str, Any]]]
    # Bounds ARM / Key Vault calls in flight across all collectors.
    limit: asyncio.Semaphore
    in_flight: int = 8                 # the bound `limit` was made with

    def rows_of(self, *types: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for t in types:
            out += self.rows.get(t.lower(), [])
        return out


# A collector: declares the Resource Graph types it needs, and turns them into a Partial.
@dataclass(frozen=True)
class Collector:
    name: str
    types: tuple[str, ...]                                  # lower-case ARM types
    collect: Callable[[CollectRun], Awaitable[Partial]]
