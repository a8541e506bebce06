"""orphaned-certificate: bound nowhere, served nowhere, covering no live name."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity
from auditor.rules.common import certificate_subject, describe, iso_or_none, make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="orphaned-certificate",
    severity=Severity.LOW,
    title="Certificate is used nowhere",
    checks="A certificate (and every copy that follows it) is bound to no host name, served by no "
           "probed endpoint, and none of its names (wildcards as TLS matches them) is a live name: "
           "served, or present in DNS. Certificates that name no host at all (signing or client "
           "certificates such as `CN=saml-signing`) are not TLS server certificates and are not judged.",
    rationale="Unused certificates keep private keys around, renew and bill for nothing, and raise "
              "expiry alarms that teach people to ignore them. They are decommission candidates.",
    remediation="Confirm nothing outside Azure uses it (`auditor decommission check <vault>/<name>`), "
                "then delete it: `az keyvault certificate delete --vault-name <vault> -n <name>` or "
                "Portal: App Service > Certificates > Delete.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates",
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for cert in graph.inventory.certificates:
        if not cert.enabled or not _names_a_host(cert.names) or graph.in_use(cert):
            continue
        source = graph.key_vault_source(cert)
        if source is not None and graph.in_use(source):
            continue  # a spare copy of a certificate in use elsewhere is not a decommission candidate
        if graph.live_names_covered(cert):
            continue
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id,
            title=f"{describe(cert)} is bound nowhere and covers no live name",
            evidence={"names": list(cert.names), "store": cert.store.value,
                      "not_after": iso_or_none(cert.not_after),
                      "followers": [c.key for c in graph.followers.get(cert.key.lower(), ())]},
        ))
    return out


def _names_a_host(names: tuple[str, ...]) -> bool:
    """A TLS server certificate names at least one DNS host (a dotted name)."""
    return any("." in n.strip(".") for n in names)
