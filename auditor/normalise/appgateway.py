"""Application Gateway (Microsoft.Network/applicationGateways): listeners, certificates,
backend pools and TLS policy, all from the gateway object itself."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

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
from auditor.normalise.keyvault_ids import parse_key_vault_ref
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
from auditor.normalise.x509 import CertFacts, facts

# Predefined policies' minimum protocol (learn.microsoft.com: application-gateway-ssl-policy-overview).
_PREDEFINED_MIN = {
    "appgwsslpolicy20150501": "1.0",
    "appgwsslpolicy20170401": "1.1",
    "appgwsslpolicy20170401s": "1.2",
    "appgwsslpolicy20220101": "1.2",
    "appgwsslpolicy20220101s": "1.2",
}


def app_gateway(gateway: Mapping[str, Any]) -> Extract:
    gw_id = str(gateway.get("id") or "")
    props = obj(gateway, "properties")
    gateway_min = ssl_policy_min(obj(props, "sslPolicy"))
    profiles = {str(p.get("id") or "").lower(): ssl_policy_min(obj(p, "properties", "sslPolicy"))
                for p in items(props, "sslProfiles") if isinstance(p, Mapping)}
    certificates = {c.key: c for c in (ssl_certificate(c, gw_id) for c in items(props, "sslCertificates")
                                       if isinstance(c, Mapping))}
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    references: list[Reference] = []
    for listener in items(props, "httpListeners"):
        if not isinstance(listener, Mapping):
            continue
        profile_id = (ref_id(listener, "properties", "sslProfile") or "").lower()
        listener_min = profiles.get(profile_id) or gateway_min
        d, b, r = listener_records(listener, gw_id, listener_min, certificates)
        domains += d
        bindings += b
        references += r
    return Extract(
        resources=(resource_of(gateway, min_tls_version=gateway_min),),
        certificates=tuple(certificates.values()),
        custom_domains=tuple(domains),
        bindings=tuple(bindings),
        references=tuple(references) + backend_references(gateway),
    )


def listener_hostnames(listener: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(host name, where) for a listener's hostName and hostNames[]."""
    props = obj(listener, "properties")
    found: list[tuple[str, str]] = []
    single = host(text(props, "hostName"))
    if single:
        found.append((single, "properties.hostName"))
    for i, value in enumerate(items(props, "hostNames")):
        name = host(value)
        if name and name not in {f[0] for f in found}:
            found.append((name, f"properties.hostNames[{i}]"))
    return found


def listener_records(listener: Mapping[str, Any], gw_id: str, min_tls: str | None,
                     certificates: Mapping[str, Certificate],
                     ) -> tuple[list[CustomDomain], list[Binding], list[Reference]]:
    listener_id = child_id(gw_id, "httpListeners", listener)
    props = obj(listener, "properties")
    https = (text(props, "protocol") or "").lower() == "https"
    cert_id = ref_id(props, "sslCertificate") or certificate_by_name(gw_id, props)
    cert = certificates.get(cert_id.lower()) if cert_id else None
    domains, bindings, refs = [], [], []
    for name, where in listener_hostnames(listener):
        refs.append(Reference(ReferenceKind.GATEWAY_LISTENER, name, listener_id, where,
                              f"listener {listener.get('name')} ({'https' if https else 'http'})"))
        domains.append(CustomDomain(
            hostname=name, resource_id=listener_id, service=ServiceKind.APP_GATEWAY,
            serving_resource_id=gw_id,
            certificate_kind=CertificateKind.CUSTOMER if https and cert_id else CertificateKind.NONE,
            min_tls_version=min_tls if https else None,
        ))
        if https and cert_id:
            bindings.append(Binding(
                hostname=name, resource_id=listener_id, service=ServiceKind.APP_GATEWAY,
                certificate_key=cert_id.lower(),
                thumbprint=cert.thumbprint if cert else None,
                certificate_ref=(cert.key_vault_id if cert and cert.key_vault_id else cert_id),
                pinned_version=cert.pinned_version if cert else None,
                use_latest_version=(cert.pinned_version is None) if cert and cert.key_vault_id else None,
            ))
    return domains, bindings, refs


def child_id(gw_id: str, collection: str, child: Mapping[str, Any]) -> str:
    """A listener's or certificate's ARM id. ARM gives every child its id; an exported or hand-made
    gateway may carry only the name, so the id is rebuilt from the gateway's (never left empty)."""
    given = str(child.get("id") or "").strip()
    if given:
        return given
    name = str(child.get("name") or "").strip()
    return f"{gw_id}/{collection}/{name}" if name else gw_id


def certificate_by_name(gw_id: str, listener_props: Mapping[str, Any]) -> str | None:
    """A listener's sslCertificate given by name only (`{"name": ...}`), as a full id."""
    ref = obj(listener_props, "sslCertificate")
    name = str(ref.get("name") or "").strip() if ref else ""
    return f"{gw_id}/sslCertificates/{name}" if name else None


def ssl_certificate(raw: Mapping[str, Any], gw_id: str = "") -> Certificate:
    cert_id = child_id(gw_id, "sslCertificates", raw)
    props = obj(raw, "properties")
    kv = parse_key_vault_ref(text(props, "keyVaultSecretId"))
    parsed = public_cert_facts(text(props, "publicCertData"))
    return Certificate(
        key=cert_id.lower(),
        store=CertificateStore.APP_GATEWAY,
        name=str(raw.get("name") or ""),
        resource_id=cert_id,
        thumbprint=parsed.thumbprint if parsed else None,
        subject=parsed.subject if parsed else None,
        names=parsed.names if parsed else (),
        not_before=parsed.not_before if parsed else None,
        not_after=parsed.not_after if parsed else None,
        issuer=parsed.issuer if parsed else None,
        renewal=Renewal.FOLLOWS_KEY_VAULT if kv else Renewal.MANUAL,
        key_vault_id=kv.key if kv else None,
        pinned_version=kv.version if kv else None,
    )


def public_cert_facts(data: str | None) -> CertFacts | None:
    """publicCertData: base64 PKCS#7 (or a bare certificate); ARM often masks it as `*****`."""
    if not data or set(data.strip()) <= {"*"}:
        return None
    try:
        raw = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    certs: list[x509.Certificate] = []
    for loader in (pkcs7.load_der_pkcs7_certificates, pkcs7.load_pem_pkcs7_certificates):
        try:
            certs = list(loader(raw))
            break
        except ValueError:
            continue
    if not certs:
        try:
            certs = [x509.load_der_x509_certificate(raw)]
        except ValueError:
            return None
    all_facts = [facts(c) for c in certs]
    leaves = [f for f in all_facts if not f.is_ca]
    return (leaves or all_facts)[0]


def backend_references(gateway: Mapping[str, Any]) -> tuple[Reference, ...]:
    props = obj(gateway, "properties")
    refs: list[Reference] = []
    for pool in items(props, "backendAddressPools"):
        pool_id = child_id(str(gateway.get("id") or ""), "backendAddressPools", pool) if isinstance(pool, Mapping) \
            else str(gateway.get("id") or "")
        for i, address in enumerate(items(pool, "properties", "backendAddresses")):
            # ARM returns {"fqdn": ..} / {"ipAddress": ..} objects, some payloads bare strings.
            value = address.get("fqdn") if isinstance(address, Mapping) else address
            where = f"properties.backendAddresses[{i}]" + (".fqdn" if isinstance(address, Mapping) else "")
            name = host(value)
            if name:
                refs.append(Reference(ReferenceKind.GATEWAY_BACKEND, name, pool_id, where,
                                      f"backend pool {pool.get('name')}"))
    for settings in items(props, "backendHttpSettingsCollection"):
        name = host(text(settings, "properties", "hostName"))
        if name:
            settings_id = child_id(str(gateway.get("id") or ""), "backendHttpSettingsCollection", settings)
            refs.append(Reference(ReferenceKind.GATEWAY_BACKEND, name, settings_id,
                                  "properties.hostName", f"backend settings {settings.get('name')} host override"))
    return tuple(refs)


def ssl_policy_min(policy: Mapping[str, Any]) -> str | None:
    explicit = tls_version(text(policy, "minProtocolVersion"))
    if explicit:
        return explicit
    return _PREDEFINED_MIN.get((text(policy, "policyName") or "").lower())
