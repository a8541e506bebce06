"""Key Vault data-plane payloads (CertificateBundle, CertificateItem) -> Certificate records.

Read exactly as the REST API writes them: epoch-second attributes, base64url `x5t`,
base64 DER `cer`, the policy's snake_case keys.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from auditor.model.certificate import Certificate, CertificateStore, CertificateVersion, Renewal
from auditor.normalise.hostnames import normalise
from auditor.normalise.timestamps import parse_time_or_none
from auditor.normalise.validate import check_keyvault_item
from auditor.normalise.x509 import CertFacts, from_base64_der, thumbprint_from_x5t

# Issuers Key Vault can renew through; "Unknown" means an outside CA, done by hand.
_UNRENEWABLE_ISSUERS = {"unknown", ""}


def vault_name_from_uri(uri: str) -> str | None:
    """"https://kv.vault.azure.net/" or without the slash -> "kv"."""
    host = urlsplit(uri.strip()).hostname if uri and "://" in uri else None
    return host.split(".", 1)[0].lower() if host else None


def certificate_id_parts(certificate_id: str) -> tuple[str, str, str | None]:
    """".../certificates/<name>[/<version>]" -> (vault, name, version or None)."""
    parts = urlsplit(certificate_id)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() != "certificates" or not parts.hostname:
        raise ValueError(f"not a Key Vault certificate id: {certificate_id!r}")
    version = segments[2] if len(segments) > 2 else None
    return parts.hostname.split(".", 1)[0].lower(), segments[1], version


def certificate_key(vault: str, name: str) -> str:
    """The inventory key of a Key Vault certificate: "vault/name", lower-case."""
    return f"{vault.lower()}/{name.lower()}"


def renewal_of(policy: Mapping[str, Any] | None) -> Renewal:
    """AUTO only with an AutoRenew lifetime action and an issuer Key Vault can renew through."""
    if not isinstance(policy, Mapping):
        return Renewal.UNKNOWN
    issuer = _mapping(policy.get("issuer"))
    issuer_name = str(issuer.get("name") or "").strip().lower()
    actions = policy.get("lifetime_actions") or []
    auto = any(isinstance(a, Mapping) and isinstance(a.get("action"), Mapping)
               and str(a["action"].get("action_type", "")).lower() == "autorenew" for a in actions)
    return Renewal.AUTO if auto and issuer_name not in _UNRENEWABLE_ISSUERS else Renewal.MANUAL


def version_from_item(item: Mapping[str, Any]) -> CertificateVersion:
    """One CertificateItem of a versions listing (or a bundle)."""
    _, _, version = certificate_id_parts(str(item.get("id", "")))
    attributes = _attributes(item)
    x5t = item.get("x5t")
    return CertificateVersion(
        version=version or "",
        thumbprint=thumbprint_from_x5t(x5t) if isinstance(x5t, str) and x5t else None,
        created=parse_time_or_none(attributes.get("created")),
        not_before=parse_time_or_none(attributes.get("nbf")),
        not_after=parse_time_or_none(attributes.get("exp")),
        enabled=attributes.get("enabled") is not False,
    )


def certificate_from_bundle(bundle: Mapping[str, Any], versions: Sequence[Mapping[str, Any]],
                            vault_resource_id: str) -> Certificate:
    """The current version's CertificateBundle (policy included) and every version's item."""
    vault, name, version = certificate_id_parts(str(bundle.get("id", "")))
    check_keyvault_item(bundle, f"{vault}/{name}")
    for item in versions:
        check_keyvault_item(item, f"{vault}/{name} version {item.get('id', '?')}")
    attributes = _attributes(bundle)
    facts = _facts(bundle.get("cer"))
    policy = bundle.get("policy") if isinstance(bundle.get("policy"), Mapping) else None
    x509_props = policy.get("x509_props") if policy and isinstance(policy.get("x509_props"), Mapping) else {}
    x5t = bundle.get("x5t")
    lineage = sorted((version_from_item(v) for v in versions),
                     key=lambda v: v.created or datetime.min.replace(tzinfo=UTC), reverse=True)
    return Certificate(
        key=certificate_key(vault, name),
        store=CertificateStore.KEY_VAULT,
        name=name,
        resource_id=vault_resource_id,
        thumbprint=thumbprint_from_x5t(x5t) if isinstance(x5t, str) and x5t else (facts.thumbprint if facts else None),
        subject=facts.subject if facts else (str(x509_props.get("subject")) if x509_props.get("subject") else None),
        names=facts.names if facts else _policy_names(x509_props),
        not_before=parse_time_or_none(attributes.get("nbf")) or (facts.not_before if facts else None),
        not_after=parse_time_or_none(attributes.get("exp")) or (facts.not_after if facts else None),
        issuer=facts.issuer if facts else None,
        renewal=renewal_of(policy),
        issuer_provider=_issuer_name(policy),
        version=version,
        versions=tuple(lineage),
        enabled=attributes.get("enabled") is not False,
        tags=_tags(bundle.get("tags")),
    )


def _facts(cer: object) -> CertFacts | None:
    """The certificate itself; None when the bundle carries none that parses."""
    if not isinstance(cer, str) or not cer:
        return None
    try:
        return from_base64_der(cer)
    except (ValueError, binascii.Error):
        if _cut_der(cer):
            # A DER certificate cut short (as the REST reference abbreviates it): the
            # attributes and the policy still say what it is.
            return None
        # Not a certificate at all: names and dates read around it would be guesses.
        raise ValueError("cer is not a base64 DER certificate") from None


def _cut_der(cer: str) -> bool:
    try:
        return base64.b64decode(cer, validate=True)[:1] == b"\x30"
    except (ValueError, binascii.Error):
        return False


def _policy_names(x509_props: Mapping[str, Any]) -> tuple[str, ...]:
    sans = _mapping(x509_props.get("sans"))
    names = [normalise(str(n)) for n in sans.get("dns_names") or []]
    subject = str(x509_props.get("subject") or "")
    for part in subject.split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().upper() == "CN" and value.strip():
            names.append(normalise(value))
    return tuple(dict.fromkeys(n for n in names if n))


def _issuer_name(policy: Mapping[str, Any] | None) -> str | None:
    issuer = policy.get("issuer") if policy else None
    name = issuer.get("name") if isinstance(issuer, Mapping) else None
    return str(name) if name else None


def _attributes(item: Mapping[str, Any]) -> Mapping[str, Any]:
    attributes = item.get("attributes")
    return attributes if isinstance(attributes, Mapping) else {}


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _tags(value: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}
