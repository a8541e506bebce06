"""Container Apps (Microsoft.App/containerApps): ingress custom domains, and the
certificates their environments hold (certificates and managedCertificates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.model import (
    Binding,
    Certificate,
    CertificateKind,
    CertificateStore,
    CustomDomain,
    Renewal,
    ServiceKind,
)
from auditor.normalise.hostnames import normalise
from auditor.normalise.keyvault_ids import parse_key_vault_ref
from auditor.normalise.service_helpers import (
    Extract,
    host,
    items,
    obj,
    parse_time,
    resource_of,
    subject_names,
    text,
    thumbprint,
)


def is_managed_certificate_id(certificate_id: str) -> bool:
    return "/managedcertificates/" in certificate_id.lower()


def environment_certificate(raw: Mapping[str, Any]) -> Certificate:
    """An environment certificate: uploaded, from Key Vault, or platform-managed."""
    cert_id = str(raw.get("id") or "")
    props = obj(raw, "properties")
    managed = is_managed_certificate_id(cert_id) or "managedcertificates" in str(raw.get("type") or "").lower()
    kv = parse_key_vault_ref(text(props, "certificateKeyVaultProperties", "keyVaultUrl"))
    subject = text(props, "subjectName")
    names = subject_names(subject) + tuple(
        normalise(n) for n in items(props, "subjectAlternativeNames") if isinstance(n, str) and n.strip())
    if managed:
        renewal = Renewal.PLATFORM
    elif kv:
        renewal = Renewal.FOLLOWS_KEY_VAULT
    else:
        renewal = Renewal.MANUAL
    return Certificate(
        key=cert_id.lower(),
        store=CertificateStore.CONTAINER_APPS,
        name=str(raw.get("name") or ""),
        resource_id=cert_id,
        thumbprint=thumbprint(props.get("thumbprint")),
        subject=subject,
        names=tuple(dict.fromkeys(names)),
        not_before=parse_time(props.get("issueDate")),
        not_after=parse_time(props.get("expirationDate")),
        issuer=text(props, "issuer"),
        renewal=renewal,
        enabled=props.get("valid") is not False,
        key_vault_id=kv.key if kv else None,
        pinned_version=kv.version if kv else None,
        tags={str(k): str(v) for k, v in obj(raw, "tags").items()},
    )


def container_app(app: Mapping[str, Any], certificates: Mapping[str, Certificate]) -> Extract:
    """`certificates`: environment certificates by lower-case id, to fill in thumbprints."""
    app_id = str(app.get("id") or "")
    ingress = obj(app, "properties", "configuration", "ingress")
    fqdn = host(text(ingress, "fqdn"))
    targets = (fqdn,) if fqdn else ()
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for raw in items(ingress, "customDomains"):
        name = host(text(raw, "name"))
        if name is None:
            continue
        cert_id = text(raw, "certificateId")
        disabled = (text(raw, "bindingType") or "").lower() == "disabled" or cert_id is None
        if disabled:
            kind = CertificateKind.NONE
        elif is_managed_certificate_id(cert_id or ""):
            kind = CertificateKind.MANAGED
        else:
            kind = CertificateKind.CUSTOMER
        domains.append(CustomDomain(hostname=name, resource_id=app_id, service=ServiceKind.CONTAINER_APP,
                                    serving_resource_id=app_id, expected_targets=targets, certificate_kind=kind))
        if cert_id and not disabled:
            cert = certificates.get(cert_id.lower())
            bindings.append(Binding(
                hostname=name, resource_id=app_id, service=ServiceKind.CONTAINER_APP,
                certificate_key=cert_id.lower(), thumbprint=cert.thumbprint if cert else None,
                certificate_ref=cert_id, pinned_version=cert.pinned_version if cert else None,
            ))
    return Extract(resources=(resource_of(app, default_hostnames=targets),),
                   custom_domains=tuple(domains), bindings=tuple(bindings))
