"""App Service: certificates (uploaded, from Key Vault, managed), sites and function apps with
their host-name bindings and config objects, the DNS that points at them and what they serve."""

from __future__ import annotations

from typing import Any

from auditor.errors import EstateError
from auditor.estate.builder.context import BuildContext, WebCertificate
from auditor.estate.builder.dns import DnsBook
from auditor.estate.builder.ids import resource_id, stable_guid, stable_hex, stable_ip
from auditor.estate.builder.platform import platform_cert
from auditor.estate.builder.spec import Site
from auditor.estate.builder.when import azure_time, span

WEB_ZONE = "azurewebsites.net"
WEB_ADDRESSES = "20.105.0.0/16"


def build_web_certificates(ctx: BuildContext) -> None:
    for spec in ctx.spec.app_service_certificates:
        where = f"App Service certificate {spec.name}"
        if spec.name.lower() in ctx.web_certs:
            raise EstateError(f"{where}: declared twice")
        sub = ctx.subscription(spec.subscription, where)
        rid = resource_id(sub, spec.resource_group, "Microsoft.Web/certificates", spec.name)
        vault_version = None
        if spec.source == "keyvault":
            ref = spec.key_vault + (f"@{spec.pinned}" if spec.pinned else "")
            vault_version = ctx.vault_version(ref, where)
            issued = vault_version.issued
        elif spec.source in ("uploaded", "managed"):
            if not spec.names:
                raise EstateError(f"{where}: an {spec.source} certificate needs names")
            not_after = ctx.when(spec.not_after, where)
            issued = ctx.pki.issue(tuple(spec.names), not_after - span(spec.lifetime, where), not_after)
        else:
            raise EstateError(f"{where}: source must be uploaded, keyvault or managed")
        web = WebCertificate(spec=spec, resource_id=rid, issued=issued, vault_version=vault_version)
        ctx.web_certs[spec.name.lower()] = web
        ctx.add_arm(f"{sub}/{spec.resource_group}/certificate-{spec.name}.json",
                    _certificate_object(ctx, web, sub))


def _certificate_object(ctx: BuildContext, web: WebCertificate, sub: str) -> dict[str, Any]:
    spec, issued = web.spec, web.issued
    props: dict[str, Any] = {
        "friendlyName": "",
        "subjectName": issued.common_name,
        "hostNames": list(issued.names),
        "issuer": issued.issuer_cn,
        "issueDate": azure_time(issued.not_before),
        "expirationDate": azure_time(issued.not_after),
        "thumbprint": issued.thumbprint,
        "serverFarmId": resource_id(sub, spec.resource_group, "Microsoft.Web/serverfarms", "asp-contoso"),
        "hostingEnvironmentProfile": None,
    }
    if web.vault_version is not None:
        vv = web.vault_version
        vault_sub = ctx.subscription(vv.vault.subscription, f"vault {vv.vault.name}")
        secret = vv.spec.name if spec.pinned is None else f"{vv.spec.name}/{vv.version}"
        props |= {"keyVaultId": resource_id(vault_sub, vv.vault.resource_group, "Microsoft.KeyVault/vaults",
                                            vv.vault.name),
                  "keyVaultSecretName": secret, "keyVaultSecretStatus": "Succeeded"}
    elif spec.source == "managed":
        props |= {"canonicalName": spec.names[0], "domainValidationMethod": "cname-delegation"}
    return {"id": web.resource_id, "name": spec.name, "type": "Microsoft.Web/certificates",
            "location": spec.location, "tags": {}, "properties": props}


def build_sites(ctx: BuildContext, dns: DnsBook) -> None:
    for site in ctx.spec.sites:
        where = f"site {site.name}"
        if site.kind not in ("app", "functionapp"):
            raise EstateError(f"{where}: kind must be app or functionapp")
        sub = ctx.subscription(site.subscription, where)
        site_id = resource_id(sub, site.resource_group, "Microsoft.Web/sites", site.name)
        default_host = f"{site.name.lower()}.{WEB_ZONE}"
        ctx.generated_hosts[f"site:{site.name.lower()}"] = default_host
        bound: list[tuple[str, WebCertificate | None]] = []
        for host in site.host_names:
            web = None
            if host.certificate:
                web = ctx.web_certs.get(host.certificate.lower())
                if web is None:
                    raise EstateError(f"{where}: host {host.name}: no App Service certificate "
                                      f"{host.certificate!r}")
            bound.append((host.name.lower(), web))
        objects = [_site_object(site, site_id, sub, default_host, bound),
                   *_bindings(site, site_id, default_host, bound),
                   *_configs(site, site_id)]
        ctx.add_arm(f"{sub}/{site.resource_group}/site-{site.name}.json", *objects)

        address = stable_ip(WEB_ADDRESSES, site.name)
        dns.add(default_host, "A", address)
        dns.add(f"{site.name.lower()}.scm.{WEB_ZONE}", "A", address)
        ctx.serve_host(default_host, platform_cert(ctx, WEB_ZONE))
        verification = _verification_id(site.name)
        for spec_host, (name, web) in zip(site.host_names, bound, strict=True):
            if spec_host.dns:
                dns.add(name, "CNAME", default_host)
                dns.add(f"asuid.{name}", "TXT", verification)
            if web is not None:
                ctx.serve_host(name, web.issued)


def _verification_id(site: str) -> str:
    return stable_hex("asuid", site, length=64).upper()


def _site_object(site: Site, site_id: str, sub: str, default_host: str,
                 bound: list[tuple[str, WebCertificate | None]]) -> dict[str, Any]:
    scm = default_host.replace(f".{WEB_ZONE}", f".scm.{WEB_ZONE}")
    ssl_states: list[dict[str, Any]] = [
        {"name": default_host, "sslState": "Disabled", "virtualIP": None, "thumbprint": None,
         "toUpdate": None, "hostType": "Standard"},
        {"name": scm, "sslState": "Disabled", "virtualIP": None, "thumbprint": None,
         "toUpdate": None, "hostType": "Repository"},
    ]
    for name, web in bound:
        ssl_states.append({"name": name, "sslState": "SniEnabled" if web else "Disabled", "virtualIP": None,
                           "thumbprint": web.issued.thumbprint if web else None, "toUpdate": None,
                           "hostType": "Standard"})
    rg = site.resource_group
    return {
        "id": site_id,
        "name": site.name,
        "type": "Microsoft.Web/sites",
        "kind": site.kind,
        "location": site.location,
        "tags": dict(site.tags),
        "properties": {
            "state": "Running",
            "hostNames": [default_host, *(n for n, _ in bound)],
            "enabledHostNames": [default_host, *(n for n, _ in bound), scm],
            "hostNameSslStates": ssl_states,
            "defaultHostName": default_host,
            "enabled": True,
            "availabilityState": "Normal",
            "usageState": "Normal",
            "httpsOnly": True,
            "clientCertEnabled": False,
            "customDomainVerificationId": _verification_id(site.name),
            "serverFarmId": resource_id(sub, rg, "Microsoft.Web/serverfarms", "asp-contoso"),
            "resourceGroup": rg,
            "repositorySiteName": site.name,
            "lastModifiedTimeUtc": "2025-08-01T09:12:44.107Z",
            "reserved": False,
            "publicNetworkAccess": site.public_network_access,
            "siteConfig": {"minTlsVersion": site.min_tls, "scmMinTlsVersion": "1.2", "cors": None,
                           "http20Enabled": True, "ftpsState": "Disabled"},
        },
    }


def _bindings(site: Site, site_id: str, default_host: str,
              bound: list[tuple[str, WebCertificate | None]]) -> list[dict[str, Any]]:
    rows = [(default_host, None, "Managed")] + [(n, w, "Verified") for n, w in bound]
    return [{
        "id": f"{site_id}/hostNameBindings/{name}",
        "name": f"{site.name}/{name}",
        "type": "Microsoft.Web/sites/hostNameBindings",
        "properties": {
            "siteName": site.name,
            "domainId": None,
            "azureResourceName": site.name,
            "azureResourceType": "Website",
            "customHostNameDnsRecordType": "CName",
            "hostNameType": kind,
            "sslState": "SniEnabled" if web else "Disabled",
            "thumbprint": web.issued.thumbprint if web else None,
        },
    } for name, web, kind in rows]


def _config(site: Site, site_id: str, name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"{site_id}/config/{name}", "name": name, "type": "Microsoft.Web/sites/config",
            "kind": site.kind, "location": site.location, "properties": properties}


def _access_restrictions(site: Site) -> dict[str, Any]:
    """config/web's access restrictions as ARM shows them: the rules, then the unmatched-traffic
    entry at priority 2147483647 (Deny all once an Allow rule exists, unless the default action
    says Allow)."""
    rules = [dict(r) for r in site.access_restrictions]
    default = site.access_default_action or ("Deny" if any(r.get("action", "Allow") == "Allow" for r in rules)
                                             else "Allow")
    rules.append({"ipAddress": "Any", "action": default, "priority": 2147483647, "name": f"{default} all",
                  "description": f"{default} all access"})
    shown: dict[str, Any] = {"ipSecurityRestrictions": rules, "scmIpSecurityRestrictionsUseMain": False}
    if site.access_default_action:
        shown["ipSecurityRestrictionsDefaultAction"] = site.access_default_action
    return shown


def _configs(site: Site, site_id: str) -> list[dict[str, Any]]:
    settings = dict(site.app_settings)
    if site.kind == "functionapp":
        settings = {"FUNCTIONS_EXTENSION_VERSION": "~4", "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
                    **settings}
    cors = {"allowedOrigins": list(site.cors), "supportCredentials": False} if site.cors else None
    aad = bool(site.openid_issuer or site.auth_redirects)
    auth: dict[str, Any] = {
        "platform": {"enabled": aad, "runtimeVersion": "~1"},
        "globalValidation": {"requireAuthentication": aad,
                             "unauthenticatedClientAction": "RedirectToLoginPage" if aad else "AllowAnonymous"},
        "identityProviders": {"azureActiveDirectory": {
            "enabled": aad,
            "registration": {"openIdIssuer": site.openid_issuer or None,
                             "clientId": stable_guid("client", site.name) if aad else None,
                             "clientSecretSettingName": "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET" if aad else None},
            "validation": {"allowedAudiences": []},
        }},
        "login": {"allowedExternalRedirectUrls": list(site.auth_redirects),
                  "tokenStore": {"enabled": aad}, "preserveUrlFragmentsForLogins": False},
        "httpSettings": {"requireHttps": True},
    }
    return [
        _config(site, site_id, "appsettings", settings),
        _config(site, site_id, "connectionstrings",
                {name: {"value": value, "type": "Custom" if "://" in value else "SQLAzure"}
                 for name, value in site.connection_strings.items()}),
        _config(site, site_id, "web", {"minTlsVersion": site.min_tls, "scmMinTlsVersion": "1.2",
                                       "ftpsState": "Disabled", "http20Enabled": True, "cors": cors,
                                       **_access_restrictions(site)}),
        _config(site, site_id, "authsettingsV2", auth),
    ]

