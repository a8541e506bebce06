"""One object holding everything collected, and what could not be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditor.model.availability import NameAvailability
from auditor.model.certificate import Certificate
from auditor.model.common import CoverageGap
from auditor.model.dns import DnsObservation, DnsRecord
from auditor.model.domain import Binding, CustomDomain
from auditor.model.reference import Reference
from auditor.model.resource import Resource
from auditor.model.tls import TlsObservation
from auditor.model.traffic import TrafficSummary


@dataclass(frozen=True, slots=True)
class Inventory:
    tenant_id: str
    subscriptions: tuple[str, ...]
    collected_at: datetime
    resources: tuple[Resource, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    custom_domains: tuple[CustomDomain, ...] = ()
    bindings: tuple[Binding, ...] = ()
    dns_records: tuple[DnsRecord, ...] = ()
    dns: tuple[DnsObservation, ...] = ()
    tls: tuple[TlsObservation, ...] = ()
    references: tuple[Reference, ...] = ()
    gaps: tuple[CoverageGap, ...] = ()
    # Live traffic from Log Analytics: the window read (0: logs were not consulted), what the
    # logs held, and the resources whose access logs were read completely.
    traffic_window_days: int = 0
    traffic: tuple[TrafficSummary, ...] = ()
    logged_resources: tuple[str, ...] = ()

    # Azure's name-availability answers for the Azure-provided names records point at.
    name_availability: tuple[NameAvailability, ...] = ()

    @property
    def complete(self) -> bool:
        return not any(not g.acknowledged for g in self.gaps)

    def counts(self) -> dict[str, int]:
        """The report's `counts` object (CONTRACT section 3)."""
        names = {d.hostname for d in self.custom_domains} | {r.fqdn for r in self.dns_records}
        names |= {o.name for o in self.dns}
        return {
            "certificates": len(self.certificates),
            "custom_domains": len(self.custom_domains),
            "dns_names": len(names),
            "endpoints_probed": len({t.hostname for t in self.tls}),
            "references": len(self.references),
        }
