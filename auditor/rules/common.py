"""Small helpers every rule uses: building findings, reading times, days left."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from auditor.config import ThresholdsConfig
from auditor.graph import Graph
from auditor.model import Certificate, CertificateStore, Finding, Severity, TlsObservation
from auditor.model.report import iso
from auditor.rules.metadata import RuleMetadata

SECONDS_PER_DAY = 86400.0


def make_finding(
    meta: RuleMetadata,
    *,
    subject: str,
    resource_id: str,
    title: str,
    evidence: dict[str, Any],
    severity: Severity | None = None,
    remediation: str | None = None,
) -> Finding:
    return Finding(
        rule=meta.id,
        severity=severity or meta.severity,
        subject=subject.strip().rstrip(".").lower() if not subject.startswith("/") else subject,
        resource_id=resource_id,
        title=title,
        remediation=remediation or meta.remediation,
        evidence=evidence,
    )


def utc(ts: datetime) -> datetime:
    """Inventory times are UTC; a naive one is read as UTC."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def days_between(start: datetime, end: datetime) -> float:
    return (utc(end) - utc(start)).total_seconds() / SECONDS_PER_DAY


def iso_or_none(ts: datetime | None) -> str | None:
    return iso(ts) if ts is not None else None


def certificate_subject(cert: Certificate) -> str:
    """CONTRACT section 3: `vault/name` for Key Vault, else the certificate's resource id as ARM gives it."""
    if cert.store is CertificateStore.KEY_VAULT or not cert.resource_id:
        return cert.key.lower()
    return cert.resource_id


def describe(cert: Certificate) -> str:
    return f"{cert.store.value} certificate {cert.key if cert.store is CertificateStore.KEY_VAULT else cert.name}"


def usage(graph: Graph, cert: Certificate) -> dict[str, Any]:
    """Where a certificate is used, for evidence."""
    return {
        "bound_to": sorted({b.hostname for m in graph.family(cert) for b in graph.bindings_of(m)}),
        "served_by": sorted({h for m in graph.family(cert) for h in graph.served_hosts(m)}),
    }


def certificate_view(cert: Certificate) -> dict[str, Any]:
    """Says so when a certificate was judged from ARM's secret metadata only (its vault's data
    plane out of the audit's network reach): its dates are known, its names and issuer are not."""
    if not cert.metadata_only:
        return {}
    return {"view": "metadata only: the vault's network rules keep its data plane out of reach, so "
                    "only ARM's secret metadata (dates, state) was read"}


def host_resource(graph: Graph, host: str) -> str:
    """The resource that serves a host name, for findings about a name."""
    for domain in graph.custom_domains.get(host, ()):
        return domain.resource_id
    for binding in graph.bindings_by_host.get(host, ()):
        return binding.resource_id
    for record in graph.records_by_name.get(host, ()):
        return record.resource_id
    return ""


def user_probes(probes: tuple[TlsObservation, ...]) -> tuple[TlsObservation, ...]:
    """What the host's users get: the handshakes that sent its name (SNI). The no-SNI answer is
    the listener's default certificate, which every current client bypasses."""
    with_sni = tuple(p for p in probes if p.sni)
    return with_sni or probes


def expiry_severity(
    not_before: datetime | None, not_after: datetime, as_of: datetime, thresholds: ThresholdsConfig,
) -> tuple[Severity, str] | None:
    """How urgent an unexpired certificate is, and why; None when outside every window."""
    left = days_between(as_of, not_after)
    if left <= 0:
        return None
    if left <= thresholds.critical_days:
        return Severity.CRITICAL, f"expires within {thresholds.critical_days} days"
    if left <= thresholds.high_days:
        return Severity.HIGH, f"expires within {thresholds.high_days} days"
    if left <= thresholds.medium_days:
        return Severity.MEDIUM, f"expires within {thresholds.medium_days} days"
    if not_before is not None:
        lifetime = days_between(not_before, not_after)
        if lifetime > 0 and left / lifetime < thresholds.lifetime_fraction:
            return Severity.MEDIUM, f"less than {thresholds.lifetime_fraction:.0%} of its lifetime left"
    return None
