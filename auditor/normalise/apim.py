"""API Management (Microsoft.ApiManagement/service): host name configurations and backends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.model import (
    Binding,
    Certificate,
    CertificateKind,
    CertificateStore,
    CustomDomain,
    Reference,
    ReferenceKind,
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

# Which default host a custom host name of each type stands in front of.
_DEFAULT_URL_OF_TYPE = {
    "proxy": "gatewayUrl",
    "portal": "portalUrl",
    "developerportal": "developerPortalUrl",
    "management": "managementApiUrl",
    "scm": "scmUrl",
}
_DEFAULT_URLS = ("gatewayUrl", "gatewayRegionalUrl", "portalUrl", "developerPortalUrl", "managementApiUrl", "scmUrl")
_PROTOCOL_KEY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.{}"
_RENEWAL = {"keyvault": Renewal.FOLLOWS_KEY_VAULT, "managed": Renewal.PLATFORM, "custom": Renewal.MANUAL}


def apim_service(service: Mapping[str, Any], backends: Sequence[Mapping[str, Any]]) -> Extract:
    service_id = str(service.get("id") or "")
    props = obj(service, "properties")
    min_tls = gateway_min_tls(props)
    defaults = [h for h in (host(text(props, key)) for key in _DEFAULT_URLS) if h]
    certificates: list[Certificate] = []
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for config in items(props, "hostnameConfigurations"):
        if not isinstance(config, Mapping):
            continue
        name = host(text(config, "hostName"))
        if name is None:
            continue
        source = (text(config, "certificateSource") or "").lower()
        if source == "builtin":
            defaults.append(name)
            continue
        kind = (text(config, "type") or "proxy").lower()
        target = host(text(props, _DEFAULT_URL_OF_TYPE.get(kind, "gatewayUrl")))
        domains.append(CustomDomain(
            hostname=name, resource_id=service_id, service=ServiceKind.API_MANAGEMENT,
            serving_resource_id=service_id, expected_targets=(target,) if target else (),
            certificate_kind=CertificateKind.MANAGED if source == "managed" else CertificateKind.CUSTOMER,
            min_tls_version=min_tls if kind == "proxy" else None,
        ))
        cert = hostname_certificate(service_id, name, config)
        if cert is not None:
            certificates.append(cert)
        bindings.append(Binding(
            hostname=name, resource_id=service_id, service=ServiceKind.API_MANAGEMENT,
            certificate_key=cert.key if cert else None,
            thumbprint=cert.thumbprint if cert else None,
            certificate_ref=text(config, "keyVaultId"),
            pinned_version=cert.pinned_version if cert else None,
            use_latest_version=(cert.pinned_version is None) if cert and cert.key_vault_id else None,
        ))
    return Extract(
        resources=(resource_of(service, default_hostnames=tuple(defaults), min_tls_version=min_tls),),
        certificates=tuple(certificates),
        custom_domains=tuple(domains),
        bindings=tuple(bindings),
        references=backend_references(backends),
    )


def hostname_certificate(service_id: str, hostname: str, config: Mapping[str, Any]) -> Certificate | None:
    """The certificate behind one host name configuration; its key is a path under the service."""
    source = (text(config, "certificateSource") or "").lower()
    details = obj(config, "certificate")
    kv = parse_key_vault_ref(text(config, "keyVaultId"))
    if not details and kv is None and source != "managed":
        return None
    subject = text(details, "subject")
    key = f"{service_id}/hostnameConfigurations/{hostname}".lower()
    return Certificate(
        key=key,
        store=CertificateStore.API_MANAGEMENT,
        name=normalise(hostname),
        resource_id=service_id,
        thumbprint=thumbprint(details.get("thumbprint")),
        subject=subject,
        names=subject_names(subject) or ((normalise(hostname),) if source == "managed" else ()),
        not_before=None,
        not_after=parse_time(details.get("expiry")),
        issuer=None,
        renewal=Renewal.FOLLOWS_KEY_VAULT if kv else _RENEWAL.get(source, Renewal.UNKNOWN),
        key_vault_id=kv.key if kv else None,
        pinned_version=kv.version if kv else None,
    )


def gateway_min_tls(props: Mapping[str, Any]) -> str | None:
    """The lowest protocol the gateway accepts, from customProperties; None when unset."""
    custom = obj(props, "customProperties")
    if not custom:
        return None
    lowered = {str(k).lower(): str(v).lower() for k, v in custom.items()}
    for version, label in (("Tls10", "1.0"), ("Tls11", "1.1")):
        if lowered.get(_PROTOCOL_KEY.format(version).lower()) == "true":
            return label
    return "1.2"


def backend_references(backends: Sequence[Mapping[str, Any]]) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    for backend in backends:
        name = host(text(backend, "properties", "url"))
        if name:
            refs.append(Reference(ReferenceKind.APIM_BACKEND, name, str(backend.get("id") or ""),
                                  "properties.url", f"backend {backend.get('name')}"))
    return tuple(refs)
