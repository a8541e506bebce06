"""cert-expiring: within the warning window, by days left or by the fraction of its lifetime left."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity
from auditor.rules.cert_rotation_stale import copy_renewal_in_flight, renewal_in_flight
from auditor.rules.common import (
    certificate_subject,
    certificate_view,
    days_between,
    describe,
    expiry_severity,
    host_resource,
    iso_or_none,
    make_finding,
    usage,
    user_probes,
)
from auditor.rules.live_expiry import live_expiries
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="cert-expiring",
    severity=Severity.HIGH,
    title="Certificate expires soon",
    checks="A certificate in use or stored as current expires within the warning window: critical at "
           "7 days or less, high at 14, medium at 30, or medium when less than a third of its lifetime "
           "is left (all configurable under [thresholds]). A consumer's copy or live endpoint still holding "
           "the previous version of a Key Vault certificate renewed within the consumer's sync lag is not "
           "judged: the new version is on its way. A Container Apps managed certificate, which ARM gives no "
           "expiry, is judged by what the live endpoint of its host serves.",
    rationale="Public certificate lifetimes are shrinking towards 47 days, so a fixed 30-day window "
              "leaves too little room on short-lived certificates and warns too late on renewals that "
              "should already have happened. Whatever renews it has had its chance by this point.",
    remediation="Renew it now: Portal: Key Vault > Certificates > the certificate > New version (or "
                "`az keyvault certificate create`); for App Service managed certificates check the "
                "CNAME and CAA records; then confirm every consumer serves the new version.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/tutorial-rotate-certificates",
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
        "https://learn.microsoft.com/en-us/rest/api/containerapps/managed-certificates/get",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    t = config.thresholds
    out: list[Finding] = []
    live = live_expiries(graph)
    for cert in graph.inventory.certificates:
        seen = live.get(cert.key)
        if seen is not None:
            cert = replace(cert, not_before=seen.not_before, not_after=seen.not_after)
        if cert.not_after is None or not cert.enabled or copy_renewal_in_flight(graph, config, as_of, cert):
            continue
        verdict = expiry_severity(cert.not_before, cert.not_after, as_of, t)
        if verdict is None:
            continue
        severity, reason = verdict
        left = days_between(as_of, cert.not_after)
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id, severity=severity,
            title=f"{describe(cert)} expires in {left:.0f} days",
            evidence={"not_after": iso_or_none(cert.not_after), "not_before": iso_or_none(cert.not_before),
                      "days_left": round(left, 1), "reason": reason, "renewal": cert.renewal.value,
                      "names": list(cert.names), **usage(graph, cert), **certificate_view(cert),
                      **(seen.evidence() if seen else {})},
        ))
    known = graph.certificates_by_thumbprint
    attributed = {(s.host, s.thumbprint) for s in live.values()}
    for host, probes in sorted(graph.tls.items()):
        leaf = next((p.leaf for p in user_probes(probes) if p.leaf is not None), None)
        if leaf is None or leaf.thumbprint.upper() in known:
            continue
        if (host, leaf.thumbprint.upper()) in attributed:
            continue  # judged above as the managed certificate it is
        if renewal_in_flight(graph, config, as_of, host, leaf.thumbprint):
            continue  # an older Key Vault version, replaced within the consumer's sync lag
        verdict = expiry_severity(leaf.not_before, leaf.not_after, as_of, t)
        if verdict is None:
            continue
        left = days_between(as_of, leaf.not_after)
        out.append(make_finding(
            METADATA, subject=host, resource_id=host_resource(graph, host), severity=verdict[0],
            title=f"{host} serves a certificate that expires in {left:.0f} days",
            evidence={"not_after": iso_or_none(leaf.not_after), "days_left": round(left, 1),
                      "reason": verdict[1], "thumbprint": leaf.thumbprint, "in_inventory": False},
        ))
    return out
