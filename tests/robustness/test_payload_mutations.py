"""Every REST example, varied the ways real ARM and Key Vault vary their payloads, through the
same pure normalisers the collectors call: nothing escapes, host names come out canonical."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mutations import variants
from rest_examples import REST_EXAMPLES

from auditor.collect.keyvault import vault_of
from auditor.collect.references import property_references
from auditor.normalise import appservice as web
from auditor.normalise.apim import apim_service
from auditor.normalise.appgateway import app_gateway
from auditor.normalise.dnszones import dns_zone
from auditor.normalise.frontdoor import FrontDoorProfile, front_door
from auditor.normalise.frontdoor_classic import front_door_classic, frontend_endpoints_of
from auditor.normalise.keyvault import certificate_from_bundle, version_from_item
from auditor.normalise.resources import resource_from_row
from auditor.normalise.trafficmanager import traffic_manager

_HOST_FIELDS = {"hostname", "names", "expected_targets", "default_hostnames", "fqdn"}


def body(relative: str, status: str = "200") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REST_EXAMPLES / relative).read_text(encoding="utf-8"))
    found: dict[str, Any] = data["responses"][status]["body"]
    return found


def listed(relative: str) -> list[dict[str, Any]]:
    return list(body(relative)["value"])


CDN = "cdn/2026-07-01/"
ZONE = {"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/dnsZones/zone1",
        "name": "zone1", "type": "Microsoft.Network/dnsZones", "properties": {}}
VAULT_ID = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/myvault"


def _front_door(role: str) -> Callable[[dict[str, Any]], object]:
    """A Front Door profile of every CDN example, with the one in `role` replaced by the variant."""
    parts: dict[str, list[dict[str, Any]]] = {
        "custom_domains": listed(CDN + "AFDCustomDomains_ListByProfile.json"),
        "secrets": listed(CDN + "Secrets_ListByProfile.json"),
        "endpoints": [body(CDN + "AFDEndpoints_Get.json")],
        "routes": [body(CDN + "Routes_Get.json")],
        "origins": [body(CDN + "AFDOrigins_Get.json")],
        "rules": [body("cdn/2025-12-01/Rules_Get.json")],
    }

    def run(variant: dict[str, Any]) -> object:
        given = {k: (v if k != role else [variant] + v[1:]) for k, v in parts.items()}
        return front_door(FrontDoorProfile(profile=body("cdn/2025-12-01/Profiles_Get.json"), **given))
    return run


def _site(variant: dict[str, Any]) -> object:
    return web.site_domains(variant, [], {}, None), resource_from_row(variant), property_references(variant)


def _bundle(variant: dict[str, Any]) -> object:
    versions = listed("keyvault-dataplane/2026-04-01/GetCertificateVersions-example.json")
    return certificate_from_bundle(variant, versions, VAULT_ID)


def _classic(variant: dict[str, Any]) -> object:
    return front_door_classic(variant, frontend_endpoints_of(variant) or [])


def _classic_endpoint(variant: dict[str, Any]) -> object:
    return front_door_classic(body("frontdoor-classic/2026-04-01/FrontdoorGet.json"), [variant])


SITE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/site"
# (example, how to pick the payload from it, the normaliser call the collector makes)
CASES: list[tuple[str, Callable[[], dict[str, Any]], Callable[[dict[str, Any]], object]]] = [
    ("web GetWebApp", lambda: body("web/2025-05-01/GetWebApp.json"), _site),
    ("web GetCertificate", lambda: body("web/2026-03-15/GetCertificate.json"), web.app_service_certificate),
    ("web GetSiteCertificate", lambda: body("web/2026-03-15/GetSiteCertificate.json"), web.app_service_certificate),
    ("web ListCertificates", lambda: listed("web/2026-03-15/ListCertificates.json")[1], web.app_service_certificate),
    ("web ListAppSettings", lambda: body("web/2026-03-15/ListAppSettings.json"),
     lambda p: web.app_setting_references(SITE, p)),
    ("web GetSiteConfig", lambda: body("web/2026-03-15/GetSiteConfig.json"),
     lambda p: (web.site_config_min_tls(p), web.cors_references(SITE, p))),
    ("web GetAuthSettingsV2", lambda: body("web/2026-03-15/GetAuthSettingsV2WithoutSecrets.json"),
     lambda p: web.auth_references(SITE, p)),
    ("cdn custom domain", lambda: listed(CDN + "AFDCustomDomains_ListByProfile.json")[0],
     _front_door("custom_domains")),
    ("cdn custom domain create 202", lambda: body(CDN + "AFDCustomDomains_Create.json", "202"),
     _front_door("custom_domains")),
    ("cdn custom domain get", lambda: body("cdn/2025-12-01/AFDCustomDomains_Get.json"), _front_door("custom_domains")),
    ("cdn secret customer", lambda: body(CDN + "Secrets_Get.json"), _front_door("secrets")),
    ("cdn secret managed", lambda: listed(CDN + "Secrets_ListByProfile.json")[1], _front_door("secrets")),
    ("cdn endpoint", lambda: body(CDN + "AFDEndpoints_Get.json"), _front_door("endpoints")),
    ("cdn route", lambda: body(CDN + "Routes_Get.json"), _front_door("routes")),
    ("cdn origin", lambda: body(CDN + "AFDOrigins_Get.json"), _front_door("origins")),
    ("cdn rule", lambda: body("cdn/2025-12-01/Rules_Get.json"), _front_door("rules")),
    ("frontdoor classic", lambda: body("frontdoor-classic/2026-04-01/FrontdoorGet.json"), _classic),
    ("frontdoor classic endpoint",
     lambda: listed("frontdoor-classic/2026-04-01/FrontdoorFrontendEndpointList.json")[0], _classic_endpoint),
    ("keyvault bundle", lambda: body("keyvault-dataplane/2026-04-01/GetCertificate-example.json"), _bundle),
    ("keyvault import", lambda: body("keyvault-dataplane/2026-04-01/ImportCertificate-example.json"), _bundle),
    ("keyvault version item",
     lambda: listed("keyvault-dataplane/2026-04-01/GetCertificateVersions-example.json")[0], version_from_item),
    ("keyvault vault", lambda: body("keyvault-mgmt/2025-05-01/getVault.json"),
     lambda p: (vault_of(p, lambda n: f"https://{n}.vault.azure.net"), resource_from_row(p))),
    ("app gateway", lambda: body("network/2025-07-01/ApplicationGatewayGet.json"), app_gateway),
    ("traffic manager", lambda: body("trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json"),
     traffic_manager),
    ("traffic manager endpoint",
     lambda: body("trafficmanager/2022-04-01/Endpoint-GET-External-WithSubnetMapping.json"),
     lambda p: (resource_from_row(p), property_references(p))),
    ("apim", lambda: body("apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json"),
     lambda p: apim_service(p, [])),
    ("dns cname", lambda: body("dns/2018-05-01/GetCNAMERecordset.json"), lambda p: dns_zone(ZONE, [p])),
    ("dns a", lambda: body("dns/2018-05-01/GetARecordset.json"), lambda p: dns_zone(ZONE, [p])),
    ("dns alias", lambda: body("dns/2018-05-01/CreateOrUpdateARecordsetAlias.json"), lambda p: dns_zone(ZONE, [p])),
    ("dns txt", lambda: listed("dns/2018-05-01/ListTXTRecordset.json")[0], lambda p: dns_zone(ZONE, [p])),
]


def host_names(value: object) -> Iterator[str]:
    """Every host name in a normaliser's output (records, tuples and Extracts alike)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in _HOST_FIELDS:
                yield from (item,) if isinstance(item, str) else (h for h in item if isinstance(h, str))
            else:
                yield from host_names(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from host_names(item)


@pytest.mark.parametrize(("case", "pick", "call"), CASES, ids=[c[0] for c in CASES])
def test_variants_normalise_without_escaping_and_with_canonical_host_names(
        case: str, pick: Callable[[], dict[str, Any]], call: Callable[[dict[str, Any]], object]) -> None:
    baseline = call(pick())
    assert baseline is not None
    failures: list[str] = []
    count = 0
    for what, variant in variants(pick()):
        count += 1
        try:
            out = call(variant)
        except Exception as exc:  # noqa: BLE001 - every escape is collected and reported below
            failures.append(f"{what}: {type(exc).__name__}: {exc}")
            continue
        odd = [h for h in host_names(out) if h != h.strip().rstrip(".").lower()]
        if odd:
            failures.append(f"{what}: host names not canonical: {odd}")
    assert count > 5
    assert failures == [], f"{case}: {len(failures)} of {count} variants failed"


def test_a_domain_naming_its_secret_in_another_case_still_links() -> None:
    secret = body(CDN + "Secrets_Get.json")
    domain = listed(CDN + "AFDCustomDomains_ListByProfile.json")[0]
    domain["properties"]["tlsSettings"] = {"certificateType": "CustomerCertificate", "minimumTlsVersion": "TLS12",
                                           "secret": {"id": secret["id"].upper().replace("RESOURCEGROUPS",
                                                                                         "resourceGroups")}}
    domain["properties"]["hostName"] = "WWW.Contoso.COM."
    out = front_door(FrontDoorProfile(
        profile=body("cdn/2025-12-01/Profiles_Get.json"), custom_domains=[domain], secrets=[secret],
        endpoints=[body(CDN + "AFDEndpoints_Get.json")], routes=[body(CDN + "Routes_Get.json")]))
    (binding,) = out.bindings
    (cert,) = out.certificates
    assert binding.hostname == "www.contoso.com" and binding.certificate_key == cert.key
    assert binding.thumbprint == cert.thumbprint and cert.key_vault_id is not None
    # Routes_Get names the domain as .../resourceGroups/RG/.../customDomains/domain1; its own id is lower-case.
    assert out.custom_domains[0].expected_targets == ("endpoint1-abcdefghijklmnop.z01.azurefd.net",)


def test_a_site_binding_with_a_lower_case_thumbprint_links_its_certificate() -> None:
    cert = web.app_service_certificate(body("web/2026-03-15/GetCertificate.json"))
    site = body("web/2025-05-01/GetWebApp.json")
    props = site["properties"]
    props["hostNames"] = [*props["hostNames"], "Shop.Contoso.COM."]
    props["hostNameSslStates"] = [*props["hostNameSslStates"],
                                  {"name": "SHOP.contoso.com", "sslState": "SniEnabled", "hostType": "Standard",
                                   "thumbprint": (cert.thumbprint or "").lower()}]
    domains, bindings = web.site_domains(site, [], {cert.thumbprint or "": [cert]}, None)
    assert [d.hostname for d in domains] == ["shop.contoso.com"]
    assert [(b.hostname, b.certificate_key) for b in bindings] == [("shop.contoso.com", cert.key)]


def test_a_key_vault_reference_in_upper_case_names_the_same_certificate() -> None:
    service = body("apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json")
    config = service["properties"]["hostnameConfigurations"][1]
    config["keyVaultId"] = "HTTPS://SAMIR-MSI-KEYVAULT.VAULT.AZURE.NET/secrets/MsiCertificate"
    upper = apim_service(service, []).certificates[0]
    lower = apim_service(body("apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json"),
                         []).certificates[0]
    assert upper.key_vault_id == lower.key_vault_id == "samir-msi-keyvault/msicertificate"
