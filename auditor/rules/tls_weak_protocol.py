"""tls-weak-protocol: TLS 1.0 or 1.1 configured as the minimum, or accepted by the live endpoint."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity
from auditor.rules.common import host_resource, make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="tls-weak-protocol",
    severity=Severity.MEDIUM,
    title="TLS below 1.2 allowed",
    checks="A custom domain or resource whose minimum TLS version is below 1.2, or a live endpoint "
           "that completes a TLS 1.0 or 1.1 handshake.",
    rationale="TLS 1.0 and 1.1 are deprecated (RFC 8996) and Azure is retiring them; clients and "
              "compliance baselines refuse them, and they allow downgrade attacks.",
    remediation="Raise the minimum: `az webapp config set -g <rg> -n <app> --min-tls-version 1.2`; Front "
                "Door: Portal: Domains > the domain > Minimum TLS version 1.2 (`az afd custom-domain "
                "update --minimum-tls-version TLS12`); Storage: `az storage account update "
                "--min-tls-version TLS1_2`.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/overview-tls",
        "https://learn.microsoft.com/en-us/azure/frontdoor/end-to-end-tls",
        "https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version",
    ),
)

_VERSION = re.compile(r"(\d)(?:[._]?(\d))?")


def tls_version(value: str | None) -> tuple[int, int] | None:
    """"1.0", "TLS1_0", "TLS10", "TLSv1", "TLSv1.2" -> (1, 0) ... (1, 2); None when unreadable."""
    if not value:
        return None
    match = _VERSION.search(value)
    if not match:
        return None
    return int(match[1]), int(match[2] or 0)


def _weak(value: str | None) -> bool:
    version = tls_version(value)
    return version is not None and version < (1, 2)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    by_host: dict[str, dict[str, Any]] = {}
    for host, domains in graph.custom_domains.items():
        for domain in domains:
            if _weak(domain.min_tls_version):
                by_host.setdefault(host, {"resource_id": domain.resource_id})["min_tls_version"] = \
                    domain.min_tls_version
    for host, probes in graph.tls.items():
        accepted = sorted({v for p in probes for v, ok in (("TLSv1.0", p.accepts_tls10),
                                                           ("TLSv1.1", p.accepts_tls11)) if ok})
        if accepted:
            by_host.setdefault(host, {"resource_id": host_resource(graph, host)})["accepts"] = accepted
    out: list[Finding] = []
    for host, info in sorted(by_host.items()):
        what = (f"minimum TLS {info['min_tls_version']}" if "min_tls_version" in info
                else f"accepts {', '.join(info['accepts'])}")
        out.append(make_finding(
            METADATA, subject=host, resource_id=info.pop("resource_id"),
            title=f"{host} allows TLS below 1.2 ({what})", evidence=info))
    # A resource whose custom host names are reported above is named through them.
    reported = {d.serving_resource_id.lower() for host in by_host for d in graph.custom_domains.get(host, ())
                if d.serving_resource_id}
    for res in graph.inventory.resources:
        if _weak(res.min_tls_version) and res.id.lower() not in reported:
            out.append(make_finding(
                METADATA, subject=res.id, resource_id=res.id,
                title=f"{res.type.split('/')[-1]} {res.name} allows TLS {res.min_tls_version}",
                evidence={"min_tls_version": res.min_tls_version, "type": res.type}))
    return out
