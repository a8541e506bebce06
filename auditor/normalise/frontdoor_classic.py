"""Front Door classic (Microsoft.Network/frontDoors): frontend endpoints, backends and
rules engines -> inventory records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.cloud import ALL_FRONT_DOOR_SUFFIXES
from auditor.model import Binding, CertificateKind, CustomDomain, Reference, ReferenceKind, ServiceKind
from auditor.normalise.hostnames import normalise
from auditor.normalise.keyvault_ids import key_vault_ref
from auditor.normalise.service_helpers import (
    Extract,
    host,
    items,
    obj,
    ref_id,
    resource_of,
    text,
    tls_version,
)

# Front Door's own names in every cloud that has it (azurefd.net, azurefd.us).
_DEFAULT_SUFFIXES = tuple("." + s for s in ALL_FRONT_DOOR_SUFFIXES)


def frontend_endpoints_of(front_door: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The frontend endpoints embedded in a Front Door object; None when the row lacks them."""
    props = obj(front_door, "properties")
    if not isinstance(props.get("frontendEndpoints"), list):
        return None
    return [dict(e) for e in items(props, "frontendEndpoints") if isinstance(e, Mapping)]


def front_door_classic(front_door: Mapping[str, Any],
                       frontend_endpoints: Sequence[Mapping[str, Any]]) -> Extract:
    fd_id = str(front_door.get("id") or "")
    props = obj(front_door, "properties")
    default_hosts = [h for h in (host(text(props, "cname")),) if h]
    default_hosts += [h for h in (host(text(e, "properties", "hostName")) for e in frontend_endpoints)
                      if h and h.endswith(_DEFAULT_SUFFIXES)]
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for endpoint in frontend_endpoints:
        domain = frontend_domain(endpoint, fd_id, tuple(dict.fromkeys(default_hosts)))
        if domain is None:
            continue
        domains.append(domain)
        binding = frontend_binding(endpoint, domain)
        if binding is not None:
            bindings.append(binding)
    return Extract(
        resources=(resource_of(front_door, default_hostnames=tuple(default_hosts)),),
        custom_domains=tuple(domains),
        bindings=tuple(bindings),
        references=backend_references(front_door) + rule_references(front_door),
    )


def frontend_domain(endpoint: Mapping[str, Any], fd_id: str, targets: tuple[str, ...]) -> CustomDomain | None:
    """A frontend endpoint on a custom host name; the default *.azurefd.net one is not."""
    props = obj(endpoint, "properties")
    name = host(text(props, "hostName"))
    if name is None or name.endswith(_DEFAULT_SUFFIXES):
        return None
    https = obj(props, "customHttpsConfiguration")
    return CustomDomain(
        hostname=name,
        resource_id=str(endpoint.get("id") or ""),
        service=ServiceKind.FRONT_DOOR_CLASSIC,
        serving_resource_id=fd_id,
        expected_targets=targets,
        certificate_kind=_certificate_kind(props),
        validation_state=text(props, "customHttpsProvisioningState"),
        min_tls_version=tls_version(text(https, "minimumTlsVersion")),
    )


def frontend_binding(endpoint: Mapping[str, Any], domain: CustomDomain) -> Binding | None:
    props = obj(endpoint, "properties")
    if domain.certificate_kind is CertificateKind.NONE:
        return None
    https = obj(props, "customHttpsConfiguration")
    params = obj(https, "keyVaultCertificateSourceParameters")
    vault_id = ref_id(params, "vault")
    secret = text(params, "secretName")
    kv = key_vault_ref(vault_id, secret, text(params, "secretVersion"))
    return Binding(
        hostname=domain.hostname,
        resource_id=domain.resource_id,
        service=ServiceKind.FRONT_DOOR_CLASSIC,
        certificate_key=kv.key if kv else None,
        certificate_ref=f"{vault_id}/secrets/{secret}" if vault_id and secret else None,
        pinned_version=kv.version if kv else None,
        use_latest_version=(kv.version is None) if kv else None,
    )


def backend_references(front_door: Mapping[str, Any]) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    for pool in items(front_door, "properties", "backendPools"):
        pool_id = str(pool.get("id") or "") if isinstance(pool, Mapping) else ""
        for i, backend in enumerate(items(pool, "properties", "backends")):
            seen: set[str] = set()
            for key in ("address", "backendHostHeader"):
                name = host(backend.get(key)) if isinstance(backend, Mapping) else None
                if name is None or name in seen:
                    continue
                seen.add(name)
                refs.append(Reference(ReferenceKind.FRONTDOOR_ORIGIN, name, pool_id,
                                      f"properties.backends[{i}].{key}", f"backend pool {pool.get('name')}"))
    return tuple(refs)


def rule_references(front_door: Mapping[str, Any]) -> tuple[Reference, ...]:
    """Redirects to a custom host, in routing rules and in rules engines."""
    refs: list[Reference] = []
    for rule in items(front_door, "properties", "routingRules"):
        name = host(text(rule, "properties", "routeConfiguration", "customHost"))
        if name:
            refs.append(Reference(ReferenceKind.FRONTDOOR_RULE, name, str(rule.get("id") or ""),
                                  "properties.routeConfiguration.customHost", f"routing rule {rule.get('name')}"))
    for engine in items(front_door, "properties", "rulesEngines"):
        engine_id = str(engine.get("id") or "") if isinstance(engine, Mapping) else ""
        for i, rule in enumerate(items(engine, "properties", "rules")):
            name = host(text(rule, "action", "routeConfigurationOverride", "customHost"))
            if name:
                refs.append(Reference(ReferenceKind.FRONTDOOR_RULE, normalise(name), engine_id,
                                      f"properties.rules[{i}].action.routeConfigurationOverride.customHost",
                                      f"rules engine rule {rule.get('name')}"))
    return tuple(refs)


def _certificate_kind(props: Mapping[str, Any]) -> CertificateKind:
    state = (text(props, "customHttpsProvisioningState") or "").lower()
    https = obj(props, "customHttpsConfiguration")
    if state in ("", "disabled", "disabling", "failed") and not https:
        return CertificateKind.NONE
    if state in ("disabled", "disabling"):
        return CertificateKind.NONE
    source = (text(https, "certificateSource") or "").lower()
    return CertificateKind.CUSTOMER if source == "azurekeyvault" else CertificateKind.MANAGED
