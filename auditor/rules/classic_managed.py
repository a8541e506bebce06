"""Classic Front Door and classic CDN (Azure CDN from Microsoft) managed certificates, which Azure
has withdrawn: none is issued or renewed after 15 August 2025, and the existing ones stay valid
only until 14 April 2026 (learn.microsoft.com/en-us/azure/frontdoor/scripts/custom-domain;
learn.microsoft.com/en-us/azure/cdn/cdn-manage-powershell). A custom domain still on one needs
its own certificate (BYOC from Key Vault) or a move to Front Door Standard/Premium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from auditor.graph import Graph
from auditor.model import CertificateKind, CustomDomain, ServiceKind
from auditor.rules.common import user_probes, utc

NO_NEW_AFTER = datetime(2025, 8, 15, tzinfo=UTC)
VALID_UNTIL = datetime(2026, 4, 14, tzinfo=UTC)
CLASSIC_SERVICES = {ServiceKind.FRONT_DOOR_CLASSIC: "Front Door (classic)",
                    ServiceKind.CDN: "Azure CDN from Microsoft (classic)"}
REFERENCES = (
    "https://learn.microsoft.com/en-us/azure/frontdoor/scripts/custom-domain",
    "https://learn.microsoft.com/en-us/azure/cdn/cdn-manage-powershell",
    "https://learn.microsoft.com/en-us/azure/frontdoor/migrate-tier",
)


@dataclass(frozen=True)
class WithdrawnManaged:
    domain: CustomDomain
    service: str          # how Azure names the service
    ends: datetime        # the served certificate's not-after when seen, never later than VALID_UNTIL
    seen_live: bool       # `ends` comes from the live endpoint's certificate

    def evidence(self) -> dict[str, object]:
        return {"withdrawn": True, "withdrawn_service": self.service, "managed_not_after": self.ends.isoformat(),
                "not_after_source": "live endpoint" if self.seen_live else "Azure's withdrawal date",
                "no_new_managed_certificates_since": NO_NEW_AFTER.date().isoformat(),
                "managed_certificates_valid_until": VALID_UNTIL.date().isoformat()}


def withdrawn_managed(graph: Graph) -> Iterator[WithdrawnManaged]:
    """Every classic custom domain still on a managed certificate, host names in order."""
    for host, domains in sorted(graph.custom_domains.items()):
        for domain in domains:
            if domain.certificate_kind is not CertificateKind.MANAGED or domain.service not in CLASSIC_SERVICES:
                continue
            leaves = [p.leaf for p in user_probes(graph.tls.get(host, ())) if p.leaf is not None]
            live = min((utc(leaf.not_after) for leaf in leaves), default=None)
            ends = min(live, VALID_UNTIL) if live is not None else VALID_UNTIL
            yield WithdrawnManaged(domain, CLASSIC_SERVICES[domain.service], ends, live is not None and live <= ends)
