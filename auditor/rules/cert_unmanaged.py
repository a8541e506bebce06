"""cert-unmanaged: nothing renews the certificate."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Certificate, CertificateStore, Finding, Renewal, Severity
from auditor.rules.common import certificate_subject, describe, iso_or_none, make_finding, usage
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="cert-unmanaged",
    severity=Severity.MEDIUM,
    title="Nothing renews this certificate",
    checks="A Key Vault certificate whose issuer is `Unknown` or whose policy has no AutoRenew lifetime "
           "action, an App Service certificate uploaded as a PFX, or a copy (Front Door secret, App "
           "Service or gateway certificate) whose Key Vault certificate does not auto-renew, or an App "
           "Service certificate whose `keyVaultSecretStatus` says it can no longer read its Key Vault "
           "secret (e.g. AzureServiceUnauthorizedToAccessKeyVault), so renewals never reach it.",
    rationale="A certificate that no process renews expires on a date someone has to remember. With "
              "lifetimes falling towards 47 days that memory has to work eight times a year.",
    remediation="Move it to a renewing issuer: Portal: Key Vault > Certificates > the certificate > "
                "Issuance Policy > Lifetime action type `Automatically renew` with an integrated CA "
                "(`az keyvault certificate set-attributes --policy @policy.json`), or use a managed "
                "certificate; import uploaded App Service certificates from Key Vault instead. For a Key "
                "Vault sync failure, give App Service read access to the vault again (the "
                "Microsoft.Azure.WebSites service principal, or the app's Key Vault reference identity) "
                "and re-sync: Portal: the app > Certificates > Bring your own certificates > Sync.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/how-to-integrate-certificate-authority",
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for cert in graph.inventory.certificates:
        reason = _why_unmanaged(graph, cert)
        if reason is None:
            continue
        used = usage(graph, cert)
        in_use = bool(used["bound_to"] or used["served_by"])
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id,
            severity=Severity.MEDIUM if in_use else Severity.LOW,
            title=f"{describe(cert)} is not renewed automatically: {reason}",
            evidence={"reason": reason, "issuer_provider": cert.issuer_provider, "renewal": cert.renewal.value,
                      "not_after": iso_or_none(cert.not_after), **used},
        ))
    return out


def _why_unmanaged(graph: Graph, cert: Certificate) -> str | None:
    if not cert.enabled:
        return None
    if cert.store is CertificateStore.KEY_VAULT:
        if (cert.issuer_provider or "").lower() == "unknown":
            return "Key Vault issuer is Unknown"
        if cert.renewal is Renewal.MANUAL:
            return "no AutoRenew lifetime action"
        return None
    if cert.renewal is Renewal.MANUAL and not cert.key_vault_id:
        return "uploaded, not linked to Key Vault"
    if cert.sync_problem:
        return f"App Service can no longer sync it from Key Vault ({cert.sync_problem})"
    source = graph.key_vault_source(cert)
    if source is not None and _why_unmanaged(graph, source) is not None:
        return f"follows Key Vault certificate {source.key}, which does not auto-renew"
    return None
