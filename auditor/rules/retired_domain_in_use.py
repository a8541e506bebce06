"""retired-domain-in-use: a domain or certificate declared retired still has dependents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import DependentKind, Graph, dependents_of_certificate, dependents_of_name
from auditor.graph.traffic import traffic_of
from auditor.model import Certificate, CertificateStore, Dependent, Finding, ReferenceKind, Severity
from auditor.normalise.hostnames import is_under
from auditor.rules.common import certificate_subject, make_finding
from auditor.rules.metadata import RuleMetadata
from auditor.rules.retirement import retired_certificates, retired_names

METADATA = RuleMetadata(
    id="retired-domain-in-use",
    severity=Severity.CRITICAL,
    title="Retired domain still in use",
    checks="A domain declared retired (config `decommission.retired_domains`, or the retired tag on a "
           "DNS zone, custom domain or certificate) still has dependents: custom domains, certificates, "
           "DNS records, app settings, connection strings, CORS origins, redirect URIs, origins, "
           "gateway backends and listeners, Traffic Manager endpoints, any other resource property, or "
           "requests for one of its names in the access logs (Log Analytics) within the traffic window. "
           "One finding per host name, listing everything that still uses it; a certificate only when it "
           "also secures names outside the retired domain (its renewal will fail).",
    rationale="A retired domain lapses or is handed over, and whoever holds it next receives the "
              "traffic, the sign-in callbacks and the secrets still sent to it: the failure mode "
              "behind the Mapiq incident. Nothing breaks loudly until then.",
    remediation="Remove each dependent as the finding's evidence says (`auditor decommission check "
                "<domain>` lists every one with its `az` command or portal path), e.g. `az webapp config "
                "appsettings delete -g <rg> -n <app> --setting-names <name>`.",
    references=(
        "https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover",
        "https://learn.microsoft.com/en-us/azure/app-service/app-service-web-tutorial-custom-domain",
        "https://learn.microsoft.com/en-us/azure/dns/dns-zones-records",
        "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/resource-logs",
    ),
)


# Records that send traffic or mail somewhere; TXT, CAA and the like only describe the name.
_ROUTING_RECORD_TYPES = {"A", "AAAA", "CNAME", "MX", "NS", "SRV", "PTR"}
# The dependent that best names a host name's finding, most telling first.
_KIND_ORDER = [k.value for k in DependentKind] + [k.value for k in ReferenceKind]


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    grouped: dict[str, dict[str, Any]] = {}
    for retired in retired_names(graph, config):
        for dep in dependents_of_name(graph, retired.name):
            if retired.source_id and dep.resource_id.lower() == retired.source_id.lower():
                continue  # the tagged object itself carries the declaration
            if _is_use(dep):
                _add(grouped, dep, dep.hostname or dep.resource_id, retired.name, retired.retired_by)
        for cert in _certificates_securing_elsewhere(graph, retired.name):
            _add_certificate(grouped, graph, cert, retired.name, retired.retired_by)
    for retired_cert in retired_certificates(graph, config):
        cert = retired_cert.certificate
        for dep in dependents_of_certificate(graph, cert):
            _add(grouped, dep, dep.hostname or dep.resource_id, cert.key, retired_cert.retired_by)
    out: list[Finding] = []
    traffic = traffic_of(graph)
    for subject, info in sorted(grouped.items()):
        deps: list[Dependent] = sorted(info["dependents"], key=lambda d: (_KIND_ORDER.index(d.kind)
                                                                          if d.kind in _KIND_ORDER else 99))
        kinds = list(dict.fromkeys(d.kind for d in deps))
        only_records = all(k == DependentKind.DNS_RECORD.value for k in kinds)
        evidence: dict[str, Any] = {
            "retired": info["retired"][0], "retired_by": info["retired_by"][0], "kind": kinds[0],
            "kinds": kinds, "where": list(dict.fromkeys(d.where for d in deps)),
            "resources": list(dict.fromkeys(d.resource_id for d in deps if d.resource_id)),
            "remove": list(dict.fromkeys(d.remove for d in deps))}
        title = f"{subject} is under retired {info['retired'][0]} and still used ({', '.join(kinds)})"
        live = traffic.of(subject) if traffic.consulted else None
        if live is not None:
            evidence["traffic"] = {"requests": live.requests, "clients": live.clients,
                                   "last_seen": live.last_seen or None, "window_days": traffic.window_days,
                                   "note": traffic.note(subject) or "traffic unknown"}
            if live.requests:
                title += f": {live.requests:,} requests from {live.clients:,} clients in {traffic.window_days} d"
        out.append(make_finding(
            METADATA, subject=subject, resource_id=deps[0].resource_id,
            severity=Severity.HIGH if only_records else Severity.CRITICAL,
            title=title, remediation=deps[0].remove, evidence=evidence,
        ))
    return out


def _is_use(dep: Dependent) -> bool:
    """A certificate that only covers retired names is no use of the domain (cert rules judge it), nor
    is a record that routes nothing (a validation TXT)."""
    if dep.kind == DependentKind.CERTIFICATE.value:
        return False
    if dep.kind == DependentKind.DNS_RECORD.value:
        record_type = dep.where.split(" ", 1)[0].upper()
        return record_type in _ROUTING_RECORD_TYPES
    return True


def _certificates_securing_elsewhere(graph: Graph, domain: str) -> list[Certificate]:
    """Certificates covering a retired name that secure names outside it: their renewal fails once
    the retired domain can no longer be validated."""
    out: list[Certificate] = []
    for cert in graph.inventory.certificates:
        if cert.store is not CertificateStore.KEY_VAULT and graph.key_vault_source(cert) is not None:
            continue  # a copy: its Key Vault certificate is the one to reissue
        if not any(is_under(n.removeprefix("*."), domain) for n in cert.names):
            continue
        if any(not is_under(h, domain) for h in graph.secured_by(cert)):
            out.append(cert)
    return out


def _add(grouped: dict[str, dict[str, Any]], dep: Dependent, subject: str, retired: str, by: str) -> None:
    info = grouped.setdefault(subject, {"dependents": [], "retired": [], "retired_by": []})
    if dep not in info["dependents"]:
        info["dependents"].append(dep)
    for key, value in (("retired", retired), ("retired_by", by)):
        if value not in info[key]:
            info[key].append(value)


def _add_certificate(grouped: dict[str, dict[str, Any]], graph: Graph, cert: Certificate,
                     retired: str, by: str) -> None:
    outside = sorted(h for h in graph.secured_by(cert) if not is_under(h, retired))
    dep = Dependent(kind=DependentKind.CERTIFICATE.value, hostname="", resource_id=cert.resource_id,
                    where=f"{cert.store.value} certificate {cert.key}",
                    detail=f"covers {retired} and secures {', '.join(outside)}",
                    remove=f"Reissue {cert.key} without the names under {retired}, then rebind "
                           f"{', '.join(outside)}")
    _add(grouped, dep, certificate_subject(cert), retired, by)
