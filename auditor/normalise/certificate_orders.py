"""App Service Certificate orders (Microsoft.CertificateRegistration/certificateOrders) ->
certificates. The order holds the issued certificate (`signedCertificate`), its expiry
(`expirationTime`) and whether Azure renews it (`autoRenew`); the PFX itself is stored as a Key
Vault *secret* named in `certificates` (learn.microsoft.com/en-us/azure/app-service/
configure-ssl-app-service-certificate; REST: App Service Certificate Orders - Get)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.model import Certificate, CertificateStore, Renewal
from auditor.normalise.hostnames import normalise
from auditor.normalise.keyvault import certificate_key
from auditor.normalise.resources import id_segment, tags_of
from auditor.normalise.service_helpers import Extract, obj, resource_of, text
from auditor.normalise.timestamps import parse_time_or_none


def certificate_order(row: Mapping[str, Any]) -> Extract:
    order_id = str(row.get("id") or "")
    if not order_id:
        raise ValueError("a certificate order needs an id")
    props = obj(row, "properties")
    signed = obj(props, "signedCertificate")
    auto = props.get("autoRenew")
    thumbprint = text(signed, "thumbprint")
    subject = text(signed, "subject") or text(props, "distinguishedName")
    cert = Certificate(
        key=order_id.lower(),
        store=CertificateStore.CERTIFICATE_ORDER,
        name=str(row.get("name") or order_id.rsplit("/", 1)[-1]),
        resource_id=order_id,
        thumbprint=thumbprint.upper() if thumbprint else None,
        subject=subject,
        names=_names(subject, text(props, "productType")),
        not_before=parse_time_or_none(text(signed, "notBefore")),
        not_after=parse_time_or_none(props.get("expirationTime")) or parse_time_or_none(text(signed, "notAfter")),
        issuer=text(signed, "issuer"),
        renewal=Renewal.AUTO if auto is True else Renewal.MANUAL,
        issuer_provider="App Service Certificate",
        key_vault_id=order_secret(props),
        tags=tags_of(row.get("tags")),
    )
    return Extract(resources=(resource_of(row),), certificates=(cert,))


def order_secret(props: Mapping[str, Any]) -> str | None:
    """`vault/secret` of the Key Vault secret the order stores its PFX in (the first linked)."""
    for linked in (obj(props, "certificates") or {}).values():
        if not isinstance(linked, Mapping):
            continue
        vault_id, secret = text(linked, "keyVaultId"), text(linked, "keyVaultSecretName")
        vault = id_segment(vault_id, "vaults") if vault_id and vault_id.startswith("/subscriptions/") else None
        if vault and secret:
            return certificate_key(vault, secret)
    return None


def _names(subject: str | None, product: str | None) -> tuple[str, ...]:
    """The CN of the distinguished name; a wildcard product covers `*.<CN>` (its CN is the apex)."""
    cn = next((part.split("=", 1)[1].strip() for part in (subject or "").split(",")
               if part.strip().upper().startswith("CN=")), "")
    if not cn:
        return ()
    name = normalise(cn)
    if (product or "").lower() == "standarddomainvalidatedwildcardssl" and not name.startswith("*."):
        return (f"*.{name}", name)
    return (name,)
