"""tls-weak-protocol: TLS 1.0 or 1.1 configured as the minimum, or accepted by the live endpoint."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity
from auditor.model.tls import TlsCheckName, TlsImpact
from auditor.rules.common import host_resource, make_finding, user_probes
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="tls-weak-protocol",
    severity=Severity.MEDIUM,
    title="TLS below 1.2 allowed",
    checks="A custom domain or resource whose minimum TLS version is below 1.2, or a live endpoint "
           "that completes a TLS 1.0 or 1.1 handshake; or, from the chain it serves with SNI, a weak key "
           "(RSA below 2048 bits, EC below 256), a SHA-1 or MD5 signature, the trust anchor sent along, or "
           "a publicly trusted leaf without SCTs. The check is named in the evidence.",
    rationale="TLS 1.0 and 1.1 are deprecated (RFC 8996) and Azure is retiring them; clients and "
              "compliance baselines refuse them, and they allow downgrade attacks.",
    remediation="Raise the minimum: `az webapp config set -g <rg> -n <app> --min-tls-version 1.2`; Front "
                "Door: Portal: Domains > the domain > Minimum TLS version 1.2 (`az afd custom-domain "
                "update --minimum-tls-version TLS12`); Storage: `az storage account update "
                "--min-tls-version TLS1_2`. A weak key or signature: reissue the certificate with RSA 2048 "
                "or more (or ECDSA P-256) from a CA that signs with SHA-256 (Key Vault: the certificate "
                "policy's key type and size, then bind the new version); a sent root: leave it out of the "
                "PFX's chain; no SCTs: ask the CA for a certificate with embedded SCTs.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/overview-tls",
        "https://learn.microsoft.com/en-us/azure/frontdoor/end-to-end-tls",
        "https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates",
    ),
)

# Checks that only cost bytes or need the CT log extension we cannot see: low, not medium.
_LOW_ONLY = {TlsCheckName.ANCHOR_SENT, TlsCheckName.SCT}
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
        weak = [c for p in user_probes(probes) for c in p.checks if c.impact is TlsImpact.WEAK]
        if weak:
            by_host.setdefault(host, {"resource_id": host_resource(graph, host)})["checks"] = [
                {"check": c.check.value, "detail": c.detail} for c in weak]
    out: list[Finding] = []
    for host, info in sorted(by_host.items()):
        out.append(make_finding(
            METADATA, subject=host, resource_id=info.pop("resource_id"), title=_title(host, info),
            severity=_severity(info), evidence=info))
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


def _title(host: str, info: dict[str, Any]) -> str:
    if "min_tls_version" in info or "accepts" in info:
        what = (f"minimum TLS {info['min_tls_version']}" if "min_tls_version" in info
                else f"accepts {', '.join(info['accepts'])}")
        title = f"{host} allows TLS below 1.2 ({what})"
        if "checks" in info:
            title += f" and serves {_checks_phrase(info['checks'])}"
        return title
    return f"{host} serves {_checks_phrase(info['checks'])}"


def _checks_phrase(checks: list[dict[str, str]]) -> str:
    names = dict.fromkeys(TlsCheckName(c["check"]) for c in checks)
    return "a chain with " + ", ".join(n.phrase for n in names)


def _severity(info: dict[str, Any]) -> Severity:
    if "min_tls_version" in info or "accepts" in info:
        return METADATA.severity
    if all(TlsCheckName(c["check"]) in _LOW_ONLY for c in info["checks"]):
        return Severity.LOW
    return METADATA.severity
