"""cert-expired: a certificate past its not-after is still stored as current, bound, or served."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity
from auditor.normalise.hostnames import normalise
from auditor.rules.classic_managed import REFERENCES as CLASSIC_REFERENCES
from auditor.rules.classic_managed import withdrawn_managed
from auditor.rules.common import (
    certificate_subject,
    certificate_view,
    days_between,
    describe,
    host_resource,
    iso_or_none,
    make_finding,
    usage,
    user_probes,
    utc,
)
from auditor.rules.live_expiry import live_expiries
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="cert-expired",
    severity=Severity.CRITICAL,
    title="Certificate has expired",
    checks="A certificate whose not-after date has passed is still the current version in its store, "
           "bound to a host name, or served by a live endpoint; a classic Front Door or classic CDN custom "
           "domain still on a managed certificate after 14 April 2026, when Azure's withdrawn managed "
           "certificates stopped being valid.",
    rationale="Browsers and API clients refuse an expired certificate outright: every host name that "
              "presents it is down for its users. A stored but unused expired certificate is the next "
              "outage waiting for someone to bind it.",
    remediation="Renew or replace it: Portal: Key Vault > Certificates > the certificate > New version "
                "(or `az keyvault certificate create --vault-name <vault> -n <name> -p @policy.json`), then "
                "check every consumer picked up the new version; delete it if nothing uses it.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate",
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
        *CLASSIC_REFERENCES,
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    live = live_expiries(graph)
    for cert in graph.inventory.certificates:
        seen = live.get(cert.key)
        if seen is not None:
            cert = replace(cert, not_before=seen.not_before, not_after=seen.not_after)
        if cert.not_after is None or utc(cert.not_after) > as_of:
            continue
        used = usage(graph, cert)
        in_use = bool(used["bound_to"] or used["served_by"])
        if not cert.enabled and not in_use:
            continue
        ago = days_between(cert.not_after, as_of)
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id,
            severity=Severity.CRITICAL if in_use else Severity.HIGH,
            title=f"{describe(cert)} expired {ago:.0f} days ago" + ("" if in_use else " (stored, not in use)"),
            evidence={"not_after": iso_or_none(cert.not_after), "days_expired": round(ago, 1),
                      "store": cert.store.value, "names": list(cert.names), **used, **certificate_view(cert),
                      **(seen.evidence() if seen else {})},
        ))
    known = graph.certificates_by_thumbprint
    attributed = {(s.host, s.thumbprint) for s in live.values()}
    for host, probes in sorted(graph.tls.items()):
        for probe in user_probes(probes):
            leaf = probe.leaf
            if leaf is None or utc(leaf.not_after) > as_of or leaf.thumbprint.upper() in known:
                continue
            if (host, leaf.thumbprint.upper()) in attributed:
                break  # judged above as the managed certificate it is
            out.append(make_finding(
                METADATA, subject=host, resource_id=host_resource(graph, host),
                title=f"{host} serves a certificate that expired {days_between(leaf.not_after, as_of):.0f} days ago",
                evidence={"not_after": iso_or_none(leaf.not_after), "thumbprint": leaf.thumbprint,
                          "issuer": leaf.issuer, "in_inventory": False},
            ))
            break
    reported = {f.subject for f in out}
    for classic in withdrawn_managed(graph):
        host = normalise(classic.domain.hostname)
        if classic.ends > as_of or host in reported:
            continue
        reported.add(host)
        out.append(make_finding(
            METADATA, subject=host, resource_id=classic.domain.resource_id,
            title=f"{host} is on a withdrawn {classic.service} managed certificate, which ended "
                  f"{classic.ends:%d %B %Y}",
            evidence={"not_after": iso_or_none(classic.ends), "days_expired": round(days_between(classic.ends, as_of), 1),
                      **classic.evidence()},
            remediation="Bring your own certificate from Key Vault to the custom domain (Front Door classic: "
                        "`az network front-door frontend-endpoint enable-https --certificate-source AzureKeyVault "
                        "...`; CDN: `az cdn custom-domain enable-https --user-cert-vault-name ...`) or migrate "
                        "the profile to Front Door Standard/Premium.",
        ))
    return out
