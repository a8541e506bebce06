"""One flat row per certificate, a field per column, for the inventory's CSV and JSON: what a
spreadsheet sorts by (not_after, days_left) and where each certificate is bound and served.
Built from indexes made once, so the cost stays linear in the estate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from auditor.graph import Graph
from auditor.model import Certificate, CertificateStore, Renewal
from auditor.model.report import iso
from auditor.normalise.hostnames import normalise

COLUMNS = ("kind", "name", "store", "subject", "sans", "issuer", "not_after", "days_left", "managed",
           "bound_where", "served_where")

# Something renews it: Key Vault AutoRenew, the platform, or the Key Vault certificate a copy follows.
_MANAGED = {Renewal.AUTO: "yes", Renewal.PLATFORM: "yes", Renewal.FOLLOWS_KEY_VAULT: "yes",
            Renewal.MANUAL: "no", Renewal.UNKNOWN: "unknown"}


@dataclass(frozen=True)
class CertificateRow:
    kind: str
    name: str                     # Key Vault: vault/name; elsewhere the certificate resource's name
    store: str
    subject: str
    sans: tuple[str, ...]
    issuer: str
    not_after: str                # ISO-8601 UTC, sortable as text; empty when unknown
    days_left: int | None         # whole days from the audit's clock; negative once expired
    managed: str                  # yes | no | unknown
    bound_where: tuple[str, ...]  # "<service> <host name>" for each binding presenting it
    served_where: tuple[str, ...]  # host names whose live TLS endpoint serves it

    def to_json(self) -> dict[str, object]:
        return {c: list(v) if isinstance(v := getattr(self, c), tuple) else v for c in COLUMNS}


def certificate_rows(graph: Graph, as_of: datetime) -> dict[str, CertificateRow]:
    """Certificate key -> its row."""
    bound: dict[str, list[str]] = defaultdict(list)
    for binding in graph.inventory.bindings:
        cert = graph.binding_certificate(binding)
        if cert is not None:
            bound[cert.key].append(f"{binding.service.value} {normalise(binding.hostname)}")
    served: dict[str, set[str]] = defaultdict(set)
    for host, observations in graph.tls.items():
        for obs in observations:
            if obs.leaf is not None and obs.leaf.thumbprint:
                served[obs.leaf.thumbprint.upper()].add(host)
    return {c.key: _row(c, as_of, bound.get(c.key, []),
                        served.get((c.thumbprint or "").upper(), set()) if c.thumbprint else set())
            for c in graph.inventory.certificates}


def _row(cert: Certificate, as_of: datetime, bound: list[str], served: set[str]) -> CertificateRow:
    days = None if cert.not_after is None else int((cert.not_after - as_of).total_seconds() // 86400)
    return CertificateRow(
        kind="certificate", name=cert.key if cert.store is CertificateStore.KEY_VAULT else cert.name,
        store=cert.store.value, subject=cert.subject or "",
        sans=cert.names, issuer=cert.issuer or "", not_after=iso(cert.not_after) if cert.not_after else "",
        days_left=days, managed=_MANAGED.get(cert.renewal, "unknown"),
        bound_where=tuple(sorted(dict.fromkeys(bound))), served_where=tuple(sorted(served)))
