"""A Key Vault certificate seen only through ARM's secret metadata.

Reader can list a vault's secrets through ARM (`GET {vault id}/secrets`, Microsoft.KeyVault/
vaults/secrets: name, contentType, attributes with nbf/exp/created as epoch seconds, never the
value) even when the vault's firewall or private endpoint keeps the data plane out of reach.
Every Key Vault certificate has a backing secret with the certificate's name and its content
type, PKCS#12 or PEM (https://learn.microsoft.com/en-us/azure/key-vault/certificates/about-certificates#composition-of-a-certificate),
so its validity dates can still be judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.model.certificate import Certificate, CertificateStore, Renewal
from auditor.normalise.keyvault import certificate_key
from auditor.normalise.timestamps import parse_time_or_none

CERTIFICATE_CONTENT_TYPES = frozenset({"application/x-pkcs12", "application/x-pem-file"})


def certificate_from_secret(secret: Mapping[str, Any], vault: str, vault_resource_id: str) -> Certificate | None:
    """The certificate a backing secret stands for; None for a secret that backs none."""
    props = secret.get("properties")
    props = props if isinstance(props, Mapping) else {}
    content_type = str(props.get("contentType") or "").strip().lower()
    name = str(secret.get("name") or "").rsplit("/", 1)[-1]
    if content_type not in CERTIFICATE_CONTENT_TYPES or not name:
        return None
    attributes = props.get("attributes")
    attributes = attributes if isinstance(attributes, Mapping) else {}
    tags = secret.get("tags")
    return Certificate(
        key=certificate_key(vault, name),
        store=CertificateStore.KEY_VAULT,
        name=name,
        resource_id=vault_resource_id,
        thumbprint=None,
        subject=None,
        names=(),
        not_before=parse_time_or_none(attributes.get("nbf")),
        not_after=parse_time_or_none(attributes.get("exp")),
        issuer=None,
        renewal=Renewal.UNKNOWN,
        enabled=attributes.get("enabled") is not False,
        tags={str(k): str(v) for k, v in tags.items()} if isinstance(tags, Mapping) else {},
        metadata_only=True,
    )
