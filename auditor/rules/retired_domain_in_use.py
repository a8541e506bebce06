"""retired-domain-in-use: a domain or certificate declared retired still has dependents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import DependentKind, Graph, dependents_of_certificate, dependents_of_name
from auditor.model import Dependent, Finding, Severity
from auditor.rules.common import make_finding
from auditor.rules.metadata import RuleMetadata
from auditor.rules.retirement import retired_certificates, retired_names

METADATA = RuleMetadata(
    id="retired-domain-in-use",
    severity=Severity.CRITICAL,
    title="Retired domain still in use",
    checks="A domain declared retired (config `decommission.retired_domains`, or the retired tag on a "
           "DNS zone, custom domain or certificate) still has dependents: custom domains, certificates, "
           "DNS records, app settings, connection strings, CORS origins, redirect URIs, origins, "
           "gateway backends and listeners, Traffic Manager endpoints or any other resource property. "
           "One finding per dependent host name and resource.",
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
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for retired in retired_names(graph, config):
        for dep in dependents_of_name(graph, retired.name):
            if retired.source_id and dep.resource_id.lower() == retired.source_id.lower():
                continue  # the tagged object itself carries the declaration
            _add(grouped, dep, retired.name, retired.retired_by)
    for retired_cert in retired_certificates(graph, config):
        cert = retired_cert.certificate
        for dep in dependents_of_certificate(graph, cert):
            _add(grouped, dep, cert.key, retired_cert.retired_by)
    out: list[Finding] = []
    for (subject, resource_id), info in sorted(grouped.items()):
        kinds: list[str] = info["kinds"]
        only_records = all(k == DependentKind.DNS_RECORD.value for k in kinds)
        out.append(make_finding(
            METADATA, subject=subject, resource_id=resource_id,
            severity=Severity.HIGH if only_records else Severity.CRITICAL,
            title=f"{subject} is under retired {info['retired'][0]} and still used ({', '.join(kinds)})",
            remediation=info["remove"][0],
            evidence={"retired": info["retired"][0], "retired_by": info["retired_by"][0], "kind": kinds[0],
                      "kinds": kinds, "where": info["where"], "remove": info["remove"]},
        ))
    return out


def _add(grouped: dict[tuple[str, str], dict[str, Any]], dep: Dependent, retired: str, by: str) -> None:
    subject = dep.hostname or dep.resource_id
    info = grouped.setdefault((subject, dep.resource_id),
                              {"kinds": [], "where": [], "remove": [], "retired": [], "retired_by": []})
    for key, value in (("kinds", dep.kind), ("where", dep.where), ("remove", dep.remove),
                       ("retired", retired), ("retired_by", by)):
        if value not in info[key]:
            info[key].append(value)
