"""App Service payloads -> certificates, custom domains, bindings and references.

Everything takes the REST shape ARM returns (sites, Microsoft.Web/certificates,
hostNameBindings, config/web, config/authsettingsV2, the appsettings and
connectionstrings list actions). Setting values are scanned for host names and
dropped: only the setting's name and the host name leave this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from auditor.model.certificate import Certificate, CertificateStore, Renewal
from auditor.model.common import ServiceKind
from auditor.model.domain import Binding, CertificateKind, CustomDomain
from auditor.model.reference import Reference, ReferenceKind
from auditor.normalise.hostnames import hostname_of, normalise
from auditor.normalise.keyvault import certificate_key
from auditor.normalise.resources import id_segment, is_azure_provided, tags_of, tls_version
from auditor.normalise.setting_hosts import hosts_in_value
from auditor.normalise.timestamps import parse_time_or_none

_SSL_ENABLED = {"snienabled", "ipbasedenabled"}
# Identity-provider settings that name the issuer or login endpoints.
_ISSUER_KEYS = {"openidissuer", "issuer", "wellknownopenidconfiguration", "authorizationendpoint",
                "tokenendpoint", "openidconnectconfiguration"}


def properties_of(payload: Mapping[str, Any] | None) -> Mapping[str, Any]:
    props = payload.get("properties") if isinstance(payload, Mapping) else None
    return props if isinstance(props, Mapping) else {}


# --- certificates -------------------------------------------------------------------

def app_service_certificate(row: Mapping[str, Any]) -> Certificate:
    """A Microsoft.Web/certificates resource: uploaded, imported from Key Vault, or managed."""
    resource_id = row.get("id")
    if not isinstance(resource_id, str) or not resource_id:
        raise ValueError("an App Service certificate needs an id")
    props = properties_of(row)
    vault_id = _text(props.get("keyVaultId"))
    secret = _text(props.get("keyVaultSecretName"))
    vault = id_segment(vault_id, "vaults") if vault_id and vault_id.startswith("/subscriptions/") else None
    secret_name, _, version = secret.partition("/") if secret else ("", "", "")
    thumbprint = _text(props.get("thumbprint"))
    return Certificate(
        key=resource_id.lower(),
        store=CertificateStore.APP_SERVICE,
        name=str(row.get("name") or resource_id.rsplit("/", 1)[-1]),
        resource_id=resource_id,
        thumbprint=thumbprint.upper() if thumbprint else None,
        subject=_text(props.get("subjectName")) or None,
        names=tuple(dict.fromkeys(normalise(str(n)) for n in props.get("hostNames") or [] if n)),
        not_before=parse_time_or_none(props.get("issueDate")),
        not_after=parse_time_or_none(props.get("expirationDate")),
        issuer=_text(props.get("issuer")) or None,
        renewal=_app_service_renewal(vault, secret_name, _text(props.get("canonicalName"))),
        key_vault_id=certificate_key(vault, secret_name) if vault and secret_name else None,
        pinned_version=version or None,
        sync_problem=_sync_problem(vault, secret_name, _text(props.get("keyVaultSecretStatus"))),
        tags=tags_of(row.get("tags")),
    )


# keyVaultSecretStatus values under which App Service still picks up new versions.
_SYNCING = {"succeeded", "initialized", "waitingoncertificateorder", "unknown", ""}


def _sync_problem(vault: str | None, secret_name: str, status: str) -> str | None:
    """App Service reports when it can no longer read the Key Vault secret it imports
    (AzureServiceUnauthorizedToAccessKeyVault, KeyVaultSecretDoesNotExist, ...): from then
    on a renewal in Key Vault never reaches the sites bound to the certificate."""
    if not (vault and secret_name) or status.lower() in _SYNCING:
        return None
    return f"keyVaultSecretStatus {status}"


def _app_service_renewal(vault: str | None, secret_name: str, canonical_name: str) -> Renewal:
    # Managed certificates carry canonicalName and live in a platform vault, not a
    # customer's one; Key Vault imports name a customer vault and secret.
    if vault and secret_name:
        return Renewal.FOLLOWS_KEY_VAULT
    if canonical_name:
        return Renewal.PLATFORM
    return Renewal.MANUAL


def choose_certificate(site_id: str, candidates: Sequence[Certificate]) -> Certificate | None:
    """Of the certificates with a binding's thumbprint, the one the site can use:
    same resource group first, then same subscription, then any."""
    if not candidates:
        return None
    sub, group = _scope(site_id)

    def closeness(cert: Certificate) -> int:
        cert_sub, cert_group = _scope(cert.resource_id)
        return 2 if (cert_sub, cert_group) == (sub, group) else 1 if cert_sub == sub else 0

    return max(candidates, key=closeness)


def _scope(resource_id: str) -> tuple[str, str]:
    return ((id_segment(resource_id, "subscriptions") or "").lower(),
            (id_segment(resource_id, "resourceGroups") or "").lower())


# --- custom domains and bindings ----------------------------------------------------

def site_domains(site: Mapping[str, Any], host_name_bindings: Iterable[Mapping[str, Any]],
                 certificates_by_thumbprint: Mapping[str, Sequence[Certificate]],
                 min_tls: str | None) -> tuple[list[CustomDomain], list[Binding]]:
    """Every custom host name of a site or slot, and the certificate each presents."""
    site_id = str(site["id"])
    props = properties_of(site)
    default_host = hostname_of(_text(props.get("defaultHostName")))
    states = _ssl_states(props, host_name_bindings)
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for host, (state, thumbprint, binding_id) in states.items():
        if is_azure_provided(host):
            continue
        enabled = state in _SSL_ENABLED and bool(thumbprint)
        cert = choose_certificate(site_id, certificates_by_thumbprint.get(thumbprint or "", ())) if enabled else None
        kind = CertificateKind.NONE
        if enabled:
            kind = CertificateKind.MANAGED if cert and cert.renewal is Renewal.PLATFORM else CertificateKind.CUSTOMER
        domains.append(CustomDomain(
            hostname=host, resource_id=binding_id or site_id, service=ServiceKind.APP_SERVICE,
            serving_resource_id=site_id, expected_targets=(default_host,) if default_host else (),
            certificate_kind=kind, min_tls_version=min_tls, tags=tags_of(site.get("tags")),
        ))
        if enabled:
            bindings.append(Binding(
                hostname=host, resource_id=site_id, service=ServiceKind.APP_SERVICE,
                certificate_key=cert.key if cert else None, thumbprint=thumbprint,
                certificate_ref=cert.resource_id if cert else None,
                pinned_version=cert.pinned_version if cert else None,
            ))
    return domains, bindings


def _ssl_states(props: Mapping[str, Any], host_name_bindings: Iterable[Mapping[str, Any]]
                ) -> dict[str, tuple[str, str | None, str | None]]:
    """host -> (sslState lower-case, thumbprint upper-case, hostNameBinding id)."""
    states: dict[str, tuple[str, str | None, str | None]] = {}
    for name in props.get("hostNames") or []:
        host = hostname_of(str(name))
        if host:
            states[host] = ("disabled", None, None)
    for entry in props.get("hostNameSslStates") or []:
        host = hostname_of(_text(entry.get("name"))) if isinstance(entry, Mapping) else None
        if host and host in states:
            states[host] = (_text(entry.get("sslState")).lower() or "disabled",
                            _text(entry.get("thumbprint")).upper() or None, None)
    for binding in host_name_bindings:
        bprops = properties_of(binding)
        host = hostname_of(_text(binding.get("name")).rsplit("/", 1)[-1])
        if not host:
            continue
        state, thumbprint, _ = states.get(host, ("disabled", None, None))
        states[host] = (_text(bprops.get("sslState")).lower() or state,
                        _text(bprops.get("thumbprint")).upper() or thumbprint,
                        _text(binding.get("id")) or None)
    return states


# --- references -----------------------------------------------------------------------

def app_setting_references(site_id: str, payload: Mapping[str, Any]) -> list[Reference]:
    """POST .../config/appsettings/list: a flat name -> value map."""
    found: list[Reference] = []
    for name, value in properties_of(payload).items():
        for host in hosts_in_setting(str(name), value if isinstance(value, str) else ""):
            found.append(Reference(ReferenceKind.APP_SETTING, host, site_id, f"appsettings.{name}"))
    return found


def connection_string_references(site_id: str, payload: Mapping[str, Any]) -> list[Reference]:
    """POST .../config/connectionstrings/list: name -> {value, type}."""
    found: list[Reference] = []
    for name, entry in properties_of(payload).items():
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        for host in hosts_in_setting(str(name), value if isinstance(value, str) else ""):
            found.append(Reference(ReferenceKind.CONNECTION_STRING, host, site_id, f"connectionstrings.{name}"))
    return found


def hosts_in_setting(name: str, value: str) -> list[str]:
    """Host names in a setting's value, read by its grammar; never from a secret or a header."""
    return hosts_in_value(name, value)


def site_config_min_tls(payload: Mapping[str, Any]) -> str | None:
    """GET .../config/web: minTlsVersion."""
    return tls_version(properties_of(payload).get("minTlsVersion"))


def cors_references(site_id: str, payload: Mapping[str, Any]) -> list[Reference]:
    """GET .../config/web: cors.allowedOrigins."""
    cors = properties_of(payload).get("cors")
    origins = cors.get("allowedOrigins") if isinstance(cors, Mapping) else None
    found: list[Reference] = []
    for i, origin in enumerate(origins or []):
        host = hostname_of(origin) if isinstance(origin, str) else None
        if host:
            found.append(Reference(ReferenceKind.CORS_ORIGIN, host, site_id, f"siteconfig.cors.allowedOrigins[{i}]"))
    return found


def auth_references(site_id: str, payload: Mapping[str, Any]) -> list[Reference]:
    """GET .../config/authsettingsV2: allowed external redirect URLs and identity-provider issuers."""
    props = properties_of(payload)
    found: list[Reference] = []
    login = props.get("login")
    login = login if isinstance(login, Mapping) else {}
    for i, url in enumerate(login.get("allowedExternalRedirectUrls") or []):
        host = hostname_of(url) if isinstance(url, str) else None
        if host:
            where = f"authsettingsV2.login.allowedExternalRedirectUrls[{i}]"
            found.append(Reference(ReferenceKind.AUTH_REDIRECT, host, site_id, where))
    providers = props.get("identityProviders")
    for path, value in _issuer_values(providers, "authsettingsV2.identityProviders"):
        host = hostname_of(value)
        if host:
            found.append(Reference(ReferenceKind.AUTH_REDIRECT, host, site_id, path))
    return found


def _issuer_values(value: object, path: str) -> Iterable[tuple[str, str]]:
    if not isinstance(value, Mapping):
        return
    for key, item in value.items():
        if isinstance(item, Mapping):
            yield from _issuer_values(item, f"{path}.{key}")
        elif isinstance(item, str) and str(key).lower() in _ISSUER_KEYS:
            yield f"{path}.{key}", item


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
