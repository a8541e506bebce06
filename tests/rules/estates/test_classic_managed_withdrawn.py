"""Classic Front Door and classic CDN managed certificates, withdrawn by Azure: none is issued or
renewed after 15 August 2025 and the existing ones are valid only until 14 April 2026. A custom
domain on one is a managed-cert-renewal-at-risk until then and cert-expired after; the same
domains on their own Key Vault certificate raise nothing.

https://learn.microsoft.com/en-us/azure/frontdoor/scripts/custom-domain
https://learn.microsoft.com/en-us/azure/cdn/cdn-manage-powershell
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from auditor.estate.builder import EstateSpec, Record, Vault, VaultCertificate, Zone
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

RG = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-edge/providers"
FD = f"{RG}/Microsoft.Network/frontDoors/fabrikam-fd"
CDN = f"{RG}/Microsoft.Cdn/profiles/fabrikam-cdn"
ENDPOINT = f"{CDN}/endpoints/fabrikam-static"
VAULT_ID = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-edge"
WWW, STATIC = "www.fabrikam.com", "static.fabrikam.com"


def _https_front_door(managed: bool) -> dict[str, Any]:
    if managed:   # as FrontdoorEnableHttps.json enables it: the Front Door source
        return {"certificateSource": "FrontDoor", "protocolType": "ServerNameIndication",
                "minimumTlsVersion": "1.2", "frontDoorCertificateSourceParameters": {"certificateType": "Dedicated"}}
    return {"certificateSource": "AzureKeyVault", "protocolType": "ServerNameIndication", "minimumTlsVersion": "1.2",
            "keyVaultCertificateSourceParameters": {"vault": {"id": VAULT_ID}, "secretName": "www"}}


def _front_door(managed: bool) -> dict[str, Any]:
    def endpoint(name: str, host: str, https: dict[str, Any] | None) -> dict[str, Any]:
        props: dict[str, Any] = {"hostName": host, "sessionAffinityEnabledState": "Disabled",
                                 "resourceState": "Enabled"}
        if https is not None:
            props |= {"customHttpsProvisioningState": "Enabled", "customHttpsProvisioningSubstate":
                      "CertificateDeployed", "customHttpsConfiguration": https}
        return {"id": f"{FD}/frontendEndpoints/{name}", "name": name,
                "type": "Microsoft.Network/frontDoors/frontendEndpoints", "properties": props}
    return {"id": FD, "name": "fabrikam-fd", "type": "Microsoft.Network/frontDoors", "location": "Global", "tags": {},
            "properties": {"resourceState": "Enabled", "enabledState": "Enabled", "cname": "fabrikam-fd.azurefd.net",
                           "frontendEndpoints": [endpoint("default", "fabrikam-fd.azurefd.net", None),
                                                 endpoint("www", WWW, _https_front_door(managed))],
                           "backendPools": [], "routingRules": []}}


def _cdn(managed: bool) -> tuple[dict[str, Any], ...]:
    source: dict[str, Any] = ({"certificateSource": "Cdn", "minimumTlsVersion": "TLS12", "protocolType": "ServerNameIndication",
                               "certificateSourceParameters": {"typeName": "CdnCertificateSourceParameters",
                                                               "certificateType": "Dedicated"}} if managed else
                              {"certificateSource": "AzureKeyVault", "minimumTlsVersion": "TLS12",
                               "protocolType": "ServerNameIndication",
                               "certificateSourceParameters": {
                                   "typeName": "KeyVaultCertificateSourceParameters",
                                   "subscriptionId": DEFAULT_SUBSCRIPTION, "resourceGroupName": "rg-security",
                                   "vaultName": "kv-edge", "secretName": "static", "updateRule": "NoAction",
                                   "deleteRule": "NoAction"}})
    return (
        {"id": CDN, "name": "fabrikam-cdn", "type": "Microsoft.Cdn/profiles", "location": "Global", "tags": {},
         "sku": {"name": "Standard_Microsoft"}, "properties": {"provisioningState": "Succeeded"}},
        {"id": ENDPOINT, "name": "fabrikam-static", "type": "Microsoft.Cdn/profiles/endpoints", "location": "Global",
         "tags": {}, "properties": {"hostName": "fabrikam-static.azureedge.net", "originHostHeader": None,
                                    "origins": [], "provisioningState": "Succeeded"}},
        {"id": f"{ENDPOINT}/customDomains/static-fabrikam-com", "name": "static-fabrikam-com",
         "type": "Microsoft.Cdn/profiles/endpoints/customDomains",
         "properties": {"hostName": STATIC, "customHttpsProvisioningState": "Enabled",
                        "customHttpsProvisioningSubstate": "CertificateDeployed", "customHttpsParameters": source}},
    )


def _spec(managed: bool) -> EstateSpec:
    return EstateSpec(
        vaults=(Vault("kv-edge", certificates=(VaultCertificate("www", (WWW,)), VaultCertificate("static", (STATIC,)))),),
        zones=(Zone("fabrikam.com", records=(Record("www", "CNAME", ("fabrikam-fd.azurefd.net",)),
                                             Record("static", "CNAME", ("fabrikam-static.azureedge.net",)),
                                             Record("@", "CAA", ('0 issue "digicert.com"',)))),
               Zone("azurefd.net", azure=False, records=(Record("fabrikam-fd", "A", ("13.107.246.10",)),)),
               Zone("azureedge.net", azure=False, records=(Record("fabrikam-static", "A", ("13.107.213.10",)),))),
        arm=(_front_door(managed), *_cdn(managed)),
    )


BRING_YOUR_OWN = _spec(managed=False)
MANAGED = _spec(managed=True)
MANAGED_PAST_THE_END = replace(MANAGED, as_of="2026-05-01T00:00:00Z")


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(BRING_YOUR_OWN, tmp_path_factory.mktemp("classic-byoc") / "estate")


@pytest.fixture(scope="module")
def managed(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(MANAGED, tmp_path_factory.mktemp("classic-managed") / "estate")


@pytest.fixture(scope="module")
def ended(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(MANAGED_PAST_THE_END, tmp_path_factory.mktemp("classic-ended") / "estate")


def test_classic_domains_on_their_own_certificates_raise_nothing(own: AuditedEstate) -> None:
    kinds = {(d.hostname, d.service.value, d.certificate_kind.value) for d in own.inventory.custom_domains}
    assert kinds == {(WWW, "front-door-classic", "customer"), (STATIC, "cdn", "customer")}
    assert own.subjects("managed-cert-renewal-at-risk") == set() and own.subjects("cert-expired") == set()


def test_withdrawn_managed_certificates_are_a_renewal_risk_until_they_end(managed: AuditedEstate) -> None:
    assert managed.subjects("managed-cert-renewal-at-risk") == {WWW, STATIC}
    assert managed.subjects("cert-expired") == set()
    by_host = {f.subject: f for f in managed.per_rule["managed-cert-renewal-at-risk"].findings}
    www = by_host[WWW]
    assert www.resource_id == f"{FD}/frontendEndpoints/www"
    assert www.evidence["reasons"][0].startswith("Azure withdrew Front Door (classic) managed certificates")
    assert www.evidence["managed_certificates_valid_until"] == "2026-04-14"
    assert by_host[STATIC].evidence["service"] == "cdn"      # the rule's service field stays the inventory's
    assert by_host[STATIC].resource_id == f"{ENDPOINT}/customDomains/static-fabrikam-com"


def test_past_14_april_2026_they_are_expired(ended: AuditedEstate) -> None:
    assert ended.subjects("cert-expired") >= {WWW, STATIC}
    assert ended.subjects("managed-cert-renewal-at-risk") == set()
    expired = {f.subject: f for f in ended.per_rule["cert-expired"].findings}
    assert expired[WWW].evidence["withdrawn"] is True
    assert expired[WWW].evidence["not_after"].startswith("2026-04-14") or \
        expired[WWW].evidence["not_after_source"] == "live endpoint"
