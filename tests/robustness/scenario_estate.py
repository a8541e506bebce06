"""One estate holding the real-world situations the pipeline must read honestly.

Built with the estate builder, then given raw ARM objects and Key Vault bundles shaped the
way Azure really returns them (see each constant's comment)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from auditor.estate.builder import (
    Endpoint,
    EstateSpec,
    HostName,
    Record,
    Site,
    Subscription,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)

SUB = "3f2c8a14-6b1e-4d2a-9c7e-5a1b2c3d4e5f"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-edge"
WEB = f"/subscriptions/{SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites"
LEGACY = "contoso-legacy.net"
AS_OF = "2025-09-10T00:00:00Z"
EPOCH_AS_OF = 1757462400

# A site with a staging slot: the slot binds a legacy host name and its settings name another.
SIGNIN = f"{WEB}/signin"
SLOT = f"{SIGNIN}/slots/staging"
# A Front Door managed domain whose secret id and validation expiry are "" (AFDCustomDomains_Create).
PROFILE = f"{RG}/providers/Microsoft.Cdn/profiles/fd-edge"
# Rows whose properties are null.
NULL_PROPS = {
    "vault": f"{RG}/providers/Microsoft.KeyVault/vaults/kv-null",
    "site": f"{WEB}/nullsite",
    "tm": f"{RG}/providers/Microsoft.Network/trafficManagerProfiles/tm-null",
    "apim": f"{RG}/providers/Microsoft.ApiManagement/service/apim-null",
    "fd": f"{RG}/providers/Microsoft.Cdn/profiles/fd-null",
    "agw": f"{RG}/providers/Microsoft.Network/applicationGateways/agw-null",
}


def _slot() -> list[dict[str, Any]]:
    props = {
        "hostNames": ["signin-staging.azurewebsites.net", f"staging.{LEGACY}"],
        "enabledHostNames": ["signin-staging.azurewebsites.net", f"staging.{LEGACY}",
                             "signin-staging.scm.azurewebsites.net"],
        "hostNameSslStates": [
            {"name": "signin-staging.azurewebsites.net", "sslState": "Disabled", "hostType": "Standard"},
            {"name": f"staging.{LEGACY}", "sslState": "Disabled", "hostType": "Standard"},
            {"name": "signin-staging.scm.azurewebsites.net", "sslState": "Disabled", "hostType": "Repository"}],
        "defaultHostName": "signin-staging.azurewebsites.net", "state": "Running",
    }
    config = f"{SLOT}/config"
    return [
        {"id": SLOT, "name": "signin/staging", "type": "Microsoft.Web/sites/slots", "kind": "app",
         "location": "West Europe", "tags": None, "properties": props},
        {"id": f"{config}/appsettings", "name": "appsettings", "type": "Microsoft.Web/sites/slots/config",
         "location": "West Europe", "properties": {"AUTH_CALLBACK_URL": f"https://login.{LEGACY}/callback"}},
        {"id": f"{config}/connectionstrings", "name": "connectionstrings",
         "type": "Microsoft.Web/sites/slots/config", "location": "West Europe",
         "properties": {"Legacy": {"value": f"Server=tcp:db.{LEGACY},1433;Password=hunter2", "type": "SQLAzure"}}},
    ]


def _front_door() -> list[dict[str, Any]]:
    endpoint = f"{PROFILE}/afdendpoints/web"
    domain = f"{PROFILE}/customdomains/shop"
    return [
        {"id": PROFILE, "name": "fd-edge", "type": "Microsoft.Cdn/profiles", "location": "Global", "kind": "frontdoor",
         "sku": {"name": "Standard_AzureFrontDoor"}, "properties": {"resourceState": "Active"}},
        {"id": endpoint, "name": "web", "type": "Microsoft.Cdn/profiles/afdendpoints", "location": "Global",
         "properties": {"hostName": "web-h3d9c2a1b0e8f7g6.z01.azurefd.net", "enabledState": "Enabled"}},
        {"id": domain, "name": "shop", "type": "Microsoft.Cdn/profiles/customdomains",
         "properties": {"hostName": "shop.contoso.com", "azureDnsZone": {"id": ""},
                        "tlsSettings": {"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12",
                                        "secret": {"id": ""}},
                        "domainValidationState": "Approved", "preValidatedCustomDomainResourceId": None,
                        "validationProperties": {"validationToken": "8c9912db-c615-4eeb-8465",
                                                 "expirationDate": ""}}},
        {"id": f"{endpoint}/routes/default", "name": "default", "type": "Microsoft.Cdn/profiles/afdendpoints/routes",
         "properties": {"customDomains": [{"id": domain.replace("/resourceGroups/", "/resourcegroups/")
                                           .replace("/customdomains/", "/customDomains/")}],
                        "originGroup": {"id": f"{PROFILE}/originGroups/og"}, "patternsToMatch": ["/*"],
                        "originPath": None, "ruleSets": []}},
    ]


def _null_properties() -> list[dict[str, Any]]:
    types = {"vault": "Microsoft.KeyVault/vaults", "site": "Microsoft.Web/sites",
             "tm": "Microsoft.Network/trafficManagerProfiles", "apim": "Microsoft.ApiManagement/service",
             "fd": "Microsoft.Cdn/profiles", "agw": "Microsoft.Network/applicationGateways"}
    return [{"id": rid, "name": rid.rsplit("/", 1)[-1], "type": types[k], "location": "westeurope",
             "tags": None, "properties": None, "sku": {"name": "Standard_AzureFrontDoor"} if k == "fd" else None}
            for k, rid in NULL_PROPS.items()]


def _scm_site() -> list[dict[str, Any]]:
    """A site as GetWebApp returns it: the scm host in enabledHostNames and hostNameSslStates."""
    return [{"id": f"{WEB}/tools", "name": "tools", "type": "Microsoft.Web/sites", "kind": "app",
             "location": "West Europe", "properties": {
                 "hostNames": ["tools.azurewebsites.net", "Tools.Contoso.com"],
                 "enabledHostNames": ["tools.azurewebsites.net", "Tools.Contoso.com", "tools.scm.azurewebsites.net"],
                 "hostNameSslStates": [
                     {"name": "tools.azurewebsites.net", "sslState": "Disabled", "hostType": "Standard"},
                     {"name": "tools.scm.azurewebsites.net", "sslState": "Disabled", "hostType": "Repository"},
                     {"name": "TOOLS.CONTOSO.COM.", "sslState": "Disabled", "hostType": "Standard"}],
                 "defaultHostName": "tools.azurewebsites.net"}}]


def _bundle(vault: str, name: str, version: str, attributes: dict[str, Any],
            policy: dict[str, Any] | None, cer: str | None) -> dict[str, Any]:
    base = f"https://{vault}.vault.azure.net"
    bundle: dict[str, Any] = {"id": f"{base}/certificates/{name}/{version}", "kid": f"{base}/keys/{name}/{version}",
                              "sid": f"{base}/secrets/{name}/{version}", "attributes": attributes}
    if cer is not None:
        bundle["cer"] = cer
    if policy is not None:
        bundle["policy"] = policy
    return bundle


def _policy(vault: str, name: str) -> dict[str, Any]:
    return {"id": f"https://{vault}.vault.azure.net/certificates/{name}/policy",
            "x509_props": {"subject": f"CN={name}.contoso.com", "sans": {"dns_names": [f"{name}.contoso.com"]},
                           "validity_months": 12},
            "lifetime_actions": [{"trigger": {"lifetime_percentage": 80}, "action": {"action_type": "AutoRenew"}}],
            "issuer": {"name": "Self"}, "attributes": {"enabled": True}}


def _odd_certificates(root: Path, vault: str, cer_of: dict[str, str]) -> None:
    """Three certificates as Key Vault returns them in real life, written beside the built ones."""
    day = 86400
    epoch = EPOCH_AS_OF
    cer = cer_of["anchor"]
    odd = {
        # The current version is disabled; the older one is still enabled.
        "disabled-current": [
            _bundle(vault, "disabled-current", "0002", {"enabled": False, "nbf": epoch - 10 * day,
                    "exp": epoch + 200 * day, "created": epoch - 10 * day, "updated": epoch - 10 * day},
                    _policy(vault, "disabled-current"), cer),
            _bundle(vault, "disabled-current", "0001", {"enabled": True, "nbf": epoch - 300 * day,
                    "exp": epoch + 60 * day, "created": epoch - 300 * day, "updated": epoch - 300 * day},
                    _policy(vault, "disabled-current"), cer)],
        # Imported long ago through an old API: the bundle carries no policy.
        "no-policy": [_bundle(vault, "no-policy", "0001", {"enabled": True, "nbf": epoch - 30 * day,
                              "exp": epoch + 100 * day, "created": epoch - 30 * day,
                              "updated": epoch - 30 * day}, None, cer)],
        # Created but not yet issued: no cer, no x5t, no dates but created.
        "pending": [_bundle(vault, "pending", "0001", {"enabled": False, "created": epoch - day,
                            "updated": epoch - day, "recoveryLevel": "Recoverable+Purgeable"},
                            _policy(vault, "pending"), None)],
    }
    for name, versions in odd.items():
        folder = root / "keyvault" / vault / name
        folder.mkdir(parents=True, exist_ok=True)
        for bundle in versions:
            (folder / f"{bundle['id'].rsplit('/', 1)[-1]}.json").write_text(json.dumps(bundle), encoding="utf-8")


def _first_cer(root: Path, vault: str) -> dict[str, str]:
    found = {}
    for path in sorted((root / "keyvault" / vault).rglob("*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        found[path.parent.name] = bundle["cer"]
        base64.b64decode(bundle["cer"])
    return found


def _access_logs() -> list[dict[str, Any]]:
    """The sign-in app and its slot send their HTTP logs to a workspace, as a real estate does, so
    the retired names they serve have live-traffic evidence (here: none in the window)."""
    workspace = f"/subscriptions/{SUB}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops"
    out: list[dict[str, Any]] = [{"id": workspace, "name": "law-ops", "type": "Microsoft.OperationalInsights/workspaces",
                                  "location": "westeurope",
                                  "properties": {"customerId": "5b0c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"}}]
    for resource in (SIGNIN, SLOT):
        out.append({"id": f"{resource}/providers/Microsoft.Insights/diagnosticSettings/to-law",
                    "type": "Microsoft.Insights/diagnosticSettings", "name": "to-law",
                    "properties": {"workspaceId": workspace, "logAnalyticsDestinationType": "Dedicated",
                                   "logs": [{"category": "AppServiceHTTPLogs", "enabled": True}]}})
    return out


def write_scenarios(root: Path) -> Path:
    spec = EstateSpec(
        as_of=AS_OF,
        subscriptions=(Subscription(SUB, "Production"),),
        vaults=(Vault("kv-edge", certificates=(VaultCertificate("anchor", ("anchor.contoso.com",)),
                                               VaultCertificate("shop", ("shop.contoso.com",)))),),
        # What Front Door serves for the managed domain (the builder only knows its own Front Doors).
        endpoints=(Endpoint("shop.contoso.com", serve="kv-edge/shop"),),
        sites=(Site("signin", host_names=(HostName(f"login.{LEGACY}"),),
                    app_settings={"AUTH_CALLBACK_URL": f"https://login.{LEGACY}/callback"}),
               Site("api", host_names=(HostName("api.contoso.com"),))),
        zones=(Zone("contoso.com", records=(Record("tools", "CNAME", ("tools.azurewebsites.net.",)),
                                             Record("shop", "CNAME", ("web-h3d9c2a1b0e8f7g6.z01.azurefd.net.",)))),
               Zone(LEGACY, records=(Record("staging", "CNAME", ("signin-staging.azurewebsites.net.",)),)),
               Zone("azurewebsites.net", azure=False, records=(
                   Record("tools", "A", ("20.105.1.2",)), Record("signin-staging", "A", ("20.105.1.3",)))),
               Zone("azurefd.net", azure=False, records=(
                   Record("web-h3d9c2a1b0e8f7g6.z01", "A", ("13.107.246.1",)),))),
        arm=tuple(_slot() + _front_door() + _null_properties() + _scm_site() + _access_logs()),
        config=f'[decommission]\nretired_domains = ["{LEGACY}"]\n',
    )
    build_estate(spec, root)
    _upper_case_bindings(root, f"{WEB}/api")
    _odd_certificates(root, "kv-edge", _first_cer(root, "kv-edge"))
    return root


def _upper_case_bindings(root: Path, site_id: str) -> None:
    """The api site names its host in upper case with a trailing dot, as some ARM payloads do."""
    for path in (root / "arm").rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else [data]
        if not any(str(i.get("id", "")).lower() == site_id.lower() for i in items):
            continue
        text = json.dumps(data).replace('"api.contoso.com"', '"API.Contoso.COM."')
        text = text.replace("/api.contoso.com", "/API.CONTOSO.COM")
        path.write_text(text, encoding="utf-8")
