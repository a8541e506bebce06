"""CDN classic endpoints (Microsoft.Cdn/profiles/endpoints) and their custom domains."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.model import Binding, CertificateKind, CustomDomain, Reference, ReferenceKind, ServiceKind
from auditor.normalise.keyvault_ids import key_vault_ref
from auditor.normalise.service_helpers import Extract, host, items, obj, resource_of, text, tls_version


def cdn_endpoint(endpoint: Mapping[str, Any], custom_domains: Sequence[Mapping[str, Any]]) -> Extract:
    endpoint_id = str(endpoint.get("id") or "")
    default_host = host(text(endpoint, "properties", "hostName"))
    targets = (default_host,) if default_host else ()
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for raw in custom_domains:
        domain = custom_domain(raw, endpoint_id, targets)
        if domain is None:
            continue
        domains.append(domain)
        binding = domain_binding(raw, domain)
        if binding is not None:
            bindings.append(binding)
    return Extract(
        resources=(resource_of(endpoint, default_hostnames=targets),),
        custom_domains=tuple(domains),
        bindings=tuple(bindings),
        references=origin_references(endpoint),
    )


def custom_domain(raw: Mapping[str, Any], endpoint_id: str, targets: tuple[str, ...]) -> CustomDomain | None:
    props = obj(raw, "properties")
    name = host(text(props, "hostName"))
    if name is None:
        return None
    https = obj(props, "customHttpsParameters")
    return CustomDomain(
        hostname=name,
        resource_id=str(raw.get("id") or ""),
        service=ServiceKind.CDN,
        serving_resource_id=endpoint_id,
        expected_targets=targets,
        certificate_kind=_certificate_kind(props),
        validation_state=text(props, "customHttpsProvisioningState"),
        min_tls_version=tls_version(text(https, "minimumTlsVersion")),
    )


def domain_binding(raw: Mapping[str, Any], domain: CustomDomain) -> Binding | None:
    if domain.certificate_kind is CertificateKind.NONE:
        return None
    params = obj(raw, "properties", "customHttpsParameters", "certificateSourceParameters")
    kv = key_vault_ref(text(params, "vaultName"), text(params, "secretName"), text(params, "secretVersion"))
    return Binding(
        hostname=domain.hostname,
        resource_id=domain.resource_id,
        service=ServiceKind.CDN,
        certificate_key=kv.key if kv else None,
        certificate_ref=f"{kv.vault}/secrets/{kv.name}" if kv else None,
        pinned_version=kv.version if kv else None,
        use_latest_version=(kv.version is None) if kv else None,
    )


def origin_references(endpoint: Mapping[str, Any]) -> tuple[Reference, ...]:
    endpoint_id = str(endpoint.get("id") or "")
    refs: list[Reference] = []
    header = host(text(endpoint, "properties", "originHostHeader"))
    if header:
        refs.append(Reference(ReferenceKind.FRONTDOOR_ORIGIN, header, endpoint_id,
                              "properties.originHostHeader", "CDN endpoint origin host header"))
    for i, origin in enumerate(items(endpoint, "properties", "origins")):
        seen = {header} if header else set()
        for key in ("hostName", "originHostHeader"):
            name = host(text(origin, "properties", key))
            if name is None or name in seen:
                continue
            seen.add(name)
            refs.append(Reference(ReferenceKind.FRONTDOOR_ORIGIN, name, endpoint_id,
                                  f"properties.origins[{i}].properties.{key}",
                                  f"CDN endpoint origin {origin.get('name') if isinstance(origin, Mapping) else ''}"))
    return tuple(refs)


def _certificate_kind(props: Mapping[str, Any]) -> CertificateKind:
    state = (text(props, "customHttpsProvisioningState") or "").lower()
    if state in ("", "disabled", "disabling", "failed"):
        return CertificateKind.NONE
    source = (text(props, "customHttpsParameters", "certificateSource") or "").lower()
    return CertificateKind.CUSTOMER if source == "azurekeyvault" else CertificateKind.MANAGED
