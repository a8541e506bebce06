"""Front Door Standard/Premium (Microsoft.Cdn/profiles with an *_AzureFrontDoor sku):
custom domains, secrets, endpoints, routes, origins and rules -> inventory records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    ref_id,
    resource_of,
    subject_names,
    text,
    thumbprint,
    tls_version,
)

_MANAGED_TYPES = {"managedcertificate", "azurefirstpartymanagedcertificate"}
_CERTIFICATE_TYPES = _MANAGED_TYPES | {"customercertificate"}


@dataclass(frozen=True)
class FrontDoorProfile:
    """One profile and its children, as ARM lists them."""

    profile: Mapping[str, Any]
    custom_domains: Sequence[Mapping[str, Any]] = ()
    secrets: Sequence[Mapping[str, Any]] = ()
    endpoints: Sequence[Mapping[str, Any]] = ()
    routes: Sequence[Mapping[str, Any]] = ()
    origin_groups: Sequence[Mapping[str, Any]] = ()
    origins: Sequence[Mapping[str, Any]] = ()
    rules: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def is_front_door_profile(row: Mapping[str, Any]) -> bool:
    sku = text(row, "sku", "name") or ""
    return sku.lower().endswith("_azurefrontdoor") or (not sku and (text(row, "kind") or "").lower() == "frontdoor")


def front_door(data: FrontDoorProfile) -> Extract:
    profile_id = str(data.profile.get("id") or "")
    certificates = {c.key: c for c in (secret_certificate(s) for s in data.secrets) if c is not None}
    endpoint_hosts = _endpoint_hosts(data.endpoints)
    targets = _targets_by_domain(data.routes, endpoint_hosts)
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for raw in data.custom_domains:
        domain = custom_domain(raw, profile_id, targets.get(str(raw.get("id") or "").lower(), ()))
        if domain is None:
            continue
        domains.append(domain)
        binding = domain_binding(raw, domain, certificates)
        if binding is not None:
            bindings.append(binding)
    endpoint_resources = tuple(
        resource_of(e, default_hostnames=tuple(h for h in (host(text(e, "properties", "hostName")),) if h))
        for e in data.endpoints
    )
    return Extract(
        resources=(resource_of(data.profile),) + endpoint_resources,
        certificates=tuple(certificates.values()),
        custom_domains=tuple(domains),
        bindings=tuple(bindings),
        references=origin_references(data.origins) + rule_references(data.rules, data.origins),
    )


def secret_certificate(secret: Mapping[str, Any]) -> Certificate | None:
    """A Front Door secret holding a certificate (customer or managed); None for URL signing keys."""
    params = obj(secret, "properties", "parameters")
    kind = (text(params, "type") or "").lower()
    if kind not in _CERTIFICATE_TYPES:
        return None
    secret_id = str(secret.get("id") or "")
    subject = text(params, "subject")
    names = subject_names(subject) + tuple(
        normalise(n) for n in items(params, "subjectAlternativeNames") if isinstance(n, str) and n.strip()
    )
    managed = kind in _MANAGED_TYPES
    kv = None if managed else parse_key_vault_ref(ref_id(params, "secretSource"))
    use_latest = params.get("useLatestVersion")
    version = text(params, "secretVersion")
    return Certificate(
        key=secret_id.lower(),
        store=CertificateStore.FRONT_DOOR_SECRET,
        name=str(secret.get("name") or ""),
        resource_id=secret_id,
        thumbprint=thumbprint(params.get("thumbprint")),
        subject=subject,
        names=tuple(dict.fromkeys(names)),
        not_before=None,
        not_after=parse_time(params.get("expirationDate")),
        issuer=text(params, "certificateAuthority"),
        renewal=Renewal.PLATFORM if managed else Renewal.FOLLOWS_KEY_VAULT,
        version=version,
        key_vault_id=kv.key if kv else None,
        pinned_version=version if (not managed and use_latest is False) else None,
    )


def custom_domain(raw: Mapping[str, Any], profile_id: str, targets: tuple[str, ...]) -> CustomDomain | None:
    props = obj(raw, "properties")
    hostname = text(props, "hostName")
    if hostname is None:
        return None
    cert_type = (text(props, "tlsSettings", "certificateType") or "").lower()
    return CustomDomain(
        hostname=normalise(hostname),
        resource_id=str(raw.get("id") or ""),
        service=ServiceKind.FRONT_DOOR,
        serving_resource_id=profile_id,
        expected_targets=targets,
        certificate_kind=CertificateKind.MANAGED if cert_type in _MANAGED_TYPES else CertificateKind.CUSTOMER,
        validation_state=text(props, "domainValidationState"),
        min_tls_version=tls_version(text(props, "tlsSettings", "minimumTlsVersion")),
        validation_token=text(props, "validationProperties", "validationToken"),
        validation_expires=parse_time(obj(props, "validationProperties").get("expirationDate")),
    )


def domain_binding(raw: Mapping[str, Any], domain: CustomDomain,
                   certificates: Mapping[str, Certificate]) -> Binding | None:
    """The certificate a custom domain presents: its tlsSettings.secret (may be "")."""
    secret_id = ref_id(raw, "properties", "tlsSettings", "secret")
    cert = certificates.get(secret_id.lower()) if secret_id else None
    if secret_id is None and domain.certificate_kind is not CertificateKind.MANAGED:
        return None
    params_latest = None
    if cert is not None and cert.renewal is Renewal.FOLLOWS_KEY_VAULT:
        params_latest = cert.pinned_version is None
    return Binding(
        hostname=domain.hostname,
        resource_id=domain.resource_id,
        service=ServiceKind.FRONT_DOOR,
        certificate_key=cert.key if cert else (secret_id.lower() if secret_id else None),
        thumbprint=cert.thumbprint if cert else None,
        certificate_ref=secret_id,
        pinned_version=cert.pinned_version if cert else None,
        use_latest_version=params_latest,
    )


def origin_references(origins: Sequence[Mapping[str, Any]]) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    for origin in origins:
        origin_id = str(origin.get("id") or "")
        props = obj(origin, "properties")
        seen: set[str] = set()
        for key in ("hostName", "originHostHeader"):
            name = host(props.get(key))
            if name is None or name in seen:
                continue
            seen.add(name)
            check = props.get("enforceCertificateNameCheck")
            refs.append(Reference(
                kind=ReferenceKind.FRONTDOOR_ORIGIN, hostname=name, resource_id=origin_id,
                where=f"properties.{key}",
                detail=f"origin {origin.get('name')}" + ("" if check is None else f", certificate name check {check}"),
            ))
    return tuple(refs)


def rule_references(rules: Sequence[Mapping[str, Any]],
                    origins: Sequence[Mapping[str, Any]]) -> tuple[Reference, ...]:
    """Host names a rule sends traffic to (redirects, origin group overrides) or matches on."""
    refs: list[Reference] = []
    for rule in rules:
        rule_id = str(rule.get("id") or "")
        for i, action in enumerate(items(rule, "properties", "actions")):
            params = obj(action, "parameters")
            where = f"properties.actions[{i}].parameters"
            redirect = host(params.get("customHostname"))
            if redirect:
                refs.append(Reference(ReferenceKind.FRONTDOOR_RULE, redirect, rule_id,
                                      f"{where}.customHostname", f"{action.get('name')} to {redirect}"))
            group_id = ref_id(params, "originGroupOverride", "originGroup") or ref_id(params, "originGroup")
            for origin_host in _origin_hosts_of_group(group_id, origins):
                refs.append(Reference(ReferenceKind.FRONTDOOR_RULE, origin_host, rule_id,
                                      f"{where}.originGroupOverride", f"routes to origin group {group_id}"))
        for i, condition in enumerate(items(rule, "properties", "conditions")):
            if (text(condition, "name") or "").lower() not in ("hostname", "requestheader"):
                continue
            params = obj(condition, "parameters")
            if params.get("selector") is not None and str(params.get("selector")).lower() != "host":
                continue
            for j, value in enumerate(items(params, "matchValues")):
                name = host(value)
                if name:
                    refs.append(Reference(ReferenceKind.FRONTDOOR_RULE, name, rule_id,
                                          f"properties.conditions[{i}].parameters.matchValues[{j}]",
                                          "matches on the host name"))
    return tuple(refs)


def _endpoint_hosts(endpoints: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for endpoint in endpoints:
        name = host(text(endpoint, "properties", "hostName"))
        if name and endpoint.get("id"):
            out[str(endpoint["id"]).lower()] = name
    return out


def _targets_by_domain(routes: Sequence[Mapping[str, Any]], endpoint_hosts: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """custom domain id (lower) -> host names of the endpoints whose routes serve it."""
    found: dict[str, dict[str, None]] = {}
    for route in routes:
        route_id = str(route.get("id") or "").lower()
        endpoint_host = next((h for eid, h in endpoint_hosts.items() if route_id.startswith(eid + "/routes/")), None)
        if endpoint_host is None:
            continue
        for ref in items(route, "properties", "customDomains"):
            domain_id = text(ref, "id")
            if domain_id:
                found.setdefault(domain_id.lower(), {})[endpoint_host] = None
    return {k: tuple(v) for k, v in found.items()}


def _origin_hosts_of_group(group_id: str | None, origins: Sequence[Mapping[str, Any]]) -> list[str]:
    if not group_id:
        return []
    prefix = group_id.lower() + "/origins/"
    hosts = (host(text(o, "properties", "hostName")) for o in origins if str(o.get("id") or "").lower().startswith(prefix))
    return list(dict.fromkeys(h for h in hosts if h))
