"""tls-endpoint-broken: the live endpoint of a bound host name fails the handshake or its checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import CertificateKind, Finding, Severity, TlsObservation, TlsStatus, TlsVerdict
from auditor.model.tls import TlsCheck, TlsCheckName, TlsImpact
from auditor.rules.common import host_resource, iso_or_none, make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="tls-endpoint-broken",
    severity=Severity.HIGH,
    title="Live TLS endpoint is broken",
    checks="For every host name bound with TLS (a custom domain with a certificate, or a TLS binding), "
           "the endpoint probed with SNI refuses, resets or times out, fails the handshake (offers only "
           "TLS 1.0/1.1 included), or serves an expired, untrusted or wrong-name certificate or an "
           "incomplete chain; or, from the same chain, fails a check that breaks clients: a leaf without "
           "serverAuth extended key usage or with a key usage TLS cannot use, a chain out of order, a "
           "must-staple leaf with no stapled OCSP response, a revoked or expired staple, or a public chain "
           "one platform trust store (Mozilla, Windows, Chrome; Apple, Android, Java with sslyze's stores) "
           "does not anchor. The check is named in the evidence.",
    rationale="This is what users see. Configuration can look right while the edge serves something "
              "else: an old certificate, a default certificate for another name, or a chain some "
              "clients cannot build.",
    remediation="Fix what the evidence names: bind a valid certificate for the name (Portal: the "
                "resource > Custom domains > Add binding, or `az webapp config ssl bind`), include the "
                "intermediate certificates in the PFX, or restore the endpoint that no longer answers. "
                "Only TLS 1.0/1.1 offered: enable TLS 1.2 on the endpoint. A check in the evidence: reissue "
                "the certificate with the serverAuth extended key usage and a digitalSignature key usage "
                "(Key Vault: the certificate policy's ekus and key_usage), serve the chain leaf first, each "
                "certificate followed by its issuer, staple a current OCSP response or reissue without "
                "must-staple, and chain to a root every platform trusts.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings",
        "https://learn.microsoft.com/en-us/azure/frontdoor/end-to-end-tls",
        "https://learn.microsoft.com/en-us/azure/application-gateway/ssl-overview",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates",
        "https://www.rfc-editor.org/rfc/rfc7633",
    ),
)

_CRITICAL = {TlsVerdict.EXPIRED, TlsVerdict.NAME_MISMATCH}
_FAILURES = {
    TlsStatus.REFUSED: "connection refused",
    TlsStatus.RESET: "connection reset during the handshake",
    TlsStatus.TIMEOUT: "no answer in time",
    TlsStatus.HANDSHAKE_FAILED: "TLS handshake failed",
    TlsStatus.NOT_RESOLVED: "the name does not resolve",
}
# Reordering clients (browsers, TLS 1.3 stacks) cope with these; older ones do not.
_MEDIUM_ONLY = {TlsCheckName.CHAIN_ORDER}


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
        leaf = probe.leaf
        evidence: dict[str, Any] = {"status": probe.status.value, "verdict": probe.verdict.value,
                    "problems": [p.value for p in probe.problems], "detail": probe.detail,
                    "served_thumbprint": leaf.thumbprint if leaf else None,
                    "served_names": list(leaf.names) if leaf else [],
                    "served_not_after": iso_or_none(leaf.not_after) if leaf else None}
        breaking = _breaking(probe)
        if probe.chain:
            evidence["negotiated_version"] = probe.negotiated_version
            evidence["served_chain"] = [{"subject": c.subject, "issuer": c.issuer,
                                         "not_after": iso_or_none(c.not_after)} for c in probe.chain]
        if breaking:
            evidence["checks"] = [{"check": c.check.value, "detail": c.detail} for c in breaking]
        out.append(make_finding(
            METADATA, subject=host, resource_id=host_resource(graph, host), severity=_severity(probe),
            title=f"https://{host} is broken: {problem}", evidence=evidence,
        ))
    return out


def _breaking(probe: TlsObservation) -> list[TlsCheck]:
    return [c for c in probe.checks if c.impact is TlsImpact.BREAKS_CLIENTS]


def _severity(probe: TlsObservation) -> Severity:
    if probe.verdict in _CRITICAL:
        return Severity.CRITICAL
    only_checks = probe.status is TlsStatus.OK and probe.verdict in (TlsVerdict.VALID, TlsVerdict.NOT_CHECKED)
    if only_checks and all(c.check in _MEDIUM_ONLY for c in _breaking(probe)):
        return Severity.MEDIUM
    return Severity.HIGH


def _bound_hosts(graph: Graph) -> set[str]:
    hosts = {h for h, domains in graph.custom_domains.items()
             if any(d.certificate_kind is not CertificateKind.NONE for d in domains)}
    hosts |= set(graph.bindings_by_host)
    return {h for h in hosts if not h.startswith("*.")}


def _problem(probe: TlsObservation) -> str | None:
    """One clear phrase per failure, most important first; None when nothing breaks clients."""
    parts: list[str] = []
    if probe.status is not TlsStatus.OK:
        legacy_only = probe.chain and probe.negotiated_version
        parts.append(f"only {probe.negotiated_version} is offered" if legacy_only else _FAILURES[probe.status])
    if probe.verdict not in (TlsVerdict.VALID, TlsVerdict.NOT_CHECKED):
        parts.append(probe.verdict.value.replace("-", " "))
    parts += list(dict.fromkeys(c.check.phrase for c in _breaking(probe)))
    return ", ".join(parts) or None
