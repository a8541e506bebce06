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
           "secret (e.g. AzureServiceUnauthorizedToAccessKeyVault), so renewals never reach it. An App "
           "Service Certificate order (Microsoft.CertificateRegistration/certificateOrders) whose "
           "`autoRenew` is off, and the App Service certificate imported from that order's Key Vault "
           "secret.",
    rationale="A certificate that no process renews expires on a date someone has to remember. With "
              "lifetimes falling towards 47 days that memory has to work eight times a year.",
    remediation="Move it to a renewing issuer: Portal: Key Vault > Certificates > the certificate > "
                "Issuance Policy > Lifetime action type `Automatically renew` with an integrated CA "
                "(`az keyvault certificate set-attributes --policy @policy.json`), or use a managed "
                "certificate; import uploaded App Service certificates from Key Vault instead. For a Key "
                "Vault sync failure, give App Service read access to the vault again (the "
                "Microsoft.Azure.WebSites service principal, or the app's Key Vault reference identity) "
                "and re-sync: Portal: the app > Certificates > Bring your own certificates > Sync. For an App "
                "Service Certificate order: Portal: App Service Certificates > the order > Auto renew "
                "settings > On.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/how-to-integrate-certificate-authority",
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-app-service-certificate",
        "https://learn.microsoft.com/en-us/rest/api/appservice/app-service-certificate-orders/get",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    # An App Service Certificate order by the Key Vault secret it keeps its PFX in: a Web
    # certificate imported from that secret renews only if the order does.
    orders = {o.key_vault_id.lower(): o for o in graph.inventory.certificates
              if o.store is CertificateStore.CERTIFICATE_ORDER and o.key_vault_id}
    for cert in graph.inventory.certificates:
        reason = _why_unmanaged(graph, cert, orders)
        if reason is None:
            continue
        used = usage(graph, cert)
        in_use = bool(used["bound_to"] or used["served_by"])
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id,
            severity=Severity.MEDIUM if in_use else Severity.LOW,
            title=f"{describe(cert)} is not renewed automatically: {reason}",
            evidence={"reason": reason, "issuer_provider": cert.issuer_provider, "renewal": cert.renewal.value,
                      "not_after": iso_or_none(cert.not_after), **_order_links(cert, orders), **used},
        ))
    return out


def _order_links(cert: Certificate, orders: dict[str, Certificate]) -> dict[str, str]:
    """The order, its Key Vault secret, and which of the two this finding is about."""
    if cert.store is CertificateStore.CERTIFICATE_ORDER:
        return {"certificate_order": cert.resource_id, "key_vault_secret": cert.key_vault_id or ""}
    order = orders.get((cert.key_vault_id or "").lower())
    if order is None:
        return {}
    return {"certificate_order": order.resource_id, "key_vault_secret": order.key_vault_id or ""}


def _why_unmanaged(graph: Graph, cert: Certificate, orders: dict[str, Certificate] | None = None) -> str | None:
    if not cert.enabled:
        return None
    if cert.store is CertificateStore.CERTIFICATE_ORDER:
        return "the App Service Certificate order's autoRenew is off" if cert.renewal is Renewal.MANUAL else None
    order = (orders or {}).get((cert.key_vault_id or "").lower())
    if order is not None and not cert.sync_problem:
        if order.renewal is Renewal.MANUAL:
            return (f"imported from the Key Vault secret of App Service Certificate order {order.name}, "
                    f"whose autoRenew is off")
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
