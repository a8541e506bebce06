"""tls-endpoint-broken: the live endpoint of a bound host name fails the handshake or its checks."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import CertificateKind, Finding, Severity, TlsObservation, TlsStatus, TlsVerdict
from auditor.rules.common import host_resource, iso_or_none, make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="tls-endpoint-broken",
    severity=Severity.HIGH,
    title="Live TLS endpoint is broken",
    checks="For every host name bound with TLS (a custom domain with a certificate, or a TLS binding), "
           "the endpoint probed with SNI refuses, resets or times out, fails the handshake, or serves an "
           "expired, untrusted or wrong-name certificate or an incomplete chain.",
    rationale="This is what users see. Configuration can look right while the edge serves something "
              "else: an old certificate, a default certificate for another name, or a chain some "
              "clients cannot build.",
    remediation="Fix what the evidence names: bind a valid certificate for the name (Portal: the "
                "resource > Custom domains > Add binding, or `az webapp config ssl bind`), include the "
                "intermediate certificates in the PFX, or restore the endpoint that no longer answers.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings",
        "https://learn.microsoft.com/en-us/azure/frontdoor/end-to-end-tls",
        "https://learn.microsoft.com/en-us/azure/application-gateway/ssl-overview",
    ),
)

_CRITICAL = {TlsVerdict.EXPIRED, TlsVerdict.NAME_MISMATCH}


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for host in sorted(_bound_hosts(graph)):
        probes = graph.tls.get(host, ())
        probe = next((p for p in probes if p.sni), probes[0] if probes else None)
        if probe is None:
            continue  # not probed: the TLS collector records why as a gap
        problem = _problem(probe)
        if problem is None:
            continue
        severity = Severity.CRITICAL if probe.verdict in _CRITICAL else Severity.HIGH
        leaf = probe.leaf
        out.append(make_finding(
            METADATA, subject=host, resource_id=host_resource(graph, host), severity=severity,
            title=f"https://{host} is broken: {problem}",
            evidence={"status": probe.status.value, "verdict": probe.verdict.value,
                      "problems": [p.value for p in probe.problems], "detail": probe.detail,
                      "served_thumbprint": leaf.thumbprint if leaf else None,
                      "served_names": list(leaf.names) if leaf else [],
                      "served_not_after": iso_or_none(leaf.not_after) if leaf else None},
        ))
    return out


def _bound_hosts(graph: Graph) -> set[str]:
    hosts = {h for h, domains in graph.custom_domains.items()
             if any(d.certificate_kind is not CertificateKind.NONE for d in domains)}
    hosts |= set(graph.bindings_by_host)
    return {h for h in hosts if not h.startswith("*.")}


def _problem(probe: TlsObservation) -> str | None:
    if probe.status is not TlsStatus.OK:
        return f"handshake {probe.status.value}"
    if probe.verdict in (TlsVerdict.VALID, TlsVerdict.NOT_CHECKED):
        return None
    return probe.verdict.value.replace("-", " ")
