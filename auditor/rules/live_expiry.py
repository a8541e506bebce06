"""Platform-managed certificates whose expiry ARM does not give: a Container Apps managed
certificate (Microsoft.App/managedEnvironments/managedCertificates) has no expirationDate or
thumbprint in its properties (learn.microsoft.com/en-us/rest/api/containerapps/managed-certificates/get),
so its expiry is read from what the live endpoint of a host bound to it serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditor.graph import Graph
from auditor.model import CertificateStore, Renewal
from auditor.normalise.hostnames import normalise
from auditor.rules.common import iso_or_none, user_probes, utc

SOURCE = "live endpoint (ARM gives a Container Apps managed certificate no expiry)"


@dataclass(frozen=True)
class LiveExpiry:
    not_before: datetime | None
    not_after: datetime
    host: str
    thumbprint: str

    def evidence(self) -> dict[str, object]:
        return {"not_after_source": SOURCE, "served_by_host": self.host, "served_thumbprint": self.thumbprint,
                "served_not_after": iso_or_none(self.not_after)}


def live_expiries(graph: Graph) -> dict[str, LiveExpiry]:
    """Certificate key -> the soonest-ending certificate its bound hosts serve, for the managed
    certificates whose expiry ARM does not give."""
    found: dict[str, LiveExpiry] = {}
    for cert in graph.inventory.certificates:
        if cert.store is not CertificateStore.CONTAINER_APPS or cert.renewal is not Renewal.PLATFORM or \
                cert.not_after is not None:
            continue
        for binding in graph.bindings_of(cert):
            host = normalise(binding.hostname)
            for probe in user_probes(graph.tls.get(host, ())):
                leaf = probe.leaf
                if leaf is None:
                    continue
                known = found.get(cert.key)
                if known is None or utc(leaf.not_after) < utc(known.not_after):
                    found[cert.key] = LiveExpiry(leaf.not_before, leaf.not_after, host, leaf.thumbprint.upper())
    return found
