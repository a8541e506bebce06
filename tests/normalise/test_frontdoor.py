import json
from datetime import UTC, datetime
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.model import CertificateKind, CertificateStore, ReferenceKind, Renewal
from auditor.normalise.frontdoor import (
    FrontDoorProfile,
    front_door,
    is_front_door_profile,
    secret_certificate,
)

EXAMPLES = (REST_EXAMPLES / "cdn")


def body(name: str) -> Any:
    path = next(EXAMPLES.glob(f"*/{name}.json"))
    return json.loads(path.read_text())["responses"]["200"]["body"]


def test_profile_sku_decides_front_door() -> None:
    assert is_front_door_profile(body("Profiles_Get"))
    assert not is_front_door_profile({"sku": {"name": "Standard_Microsoft"}})
    assert not is_front_door_profile({"sku": None})
    assert is_front_door_profile({"kind": "frontdoor"}) and not is_front_door_profile({"kind": "cdn"})


def test_customer_and_managed_secrets() -> None:
    customer, managed = (secret_certificate(s) for s in body("Secrets_ListByProfile")["value"])
    assert customer is not None and managed is not None
    assert customer.store is CertificateStore.FRONT_DOOR_SECRET
    assert customer.renewal is Renewal.FOLLOWS_KEY_VAULT
    assert customer.key_vault_id == "keyvaultname/certificatename"
    assert customer.pinned_version is None            # useLatestVersion: true
    assert customer.version == "abcdef1234578900abcdef1234567890"
    assert customer.not_after == datetime(2025, 1, 1, tzinfo=UTC)   # "-00:00" offset
    assert customer.names == ("*.contoso.com", "foo.contoso.com", "www3.foo.contoso.com")
    assert customer.thumbprint == "ABCDEF1234567890ABCDEF1234567890ABCDEF12"
    assert customer.issuer == "Symantec"
    assert managed.renewal is Renewal.PLATFORM and managed.key_vault_id is None
    assert managed.names == ("bar.contoso.com",) and managed.thumbprint is None


def test_pinned_secret() -> None:
    secret = body("Secrets_Get")
    secret["properties"]["parameters"]["useLatestVersion"] = False
    cert = secret_certificate(secret)
    assert cert is not None and cert.pinned_version == "abcdef1234578900abcdef1234567890"


def test_url_signing_keys_are_not_certificates() -> None:
    assert secret_certificate({"id": "x", "properties": {"parameters": {"type": "UrlSigningKey"}}}) is None


def test_profile_links_domains_to_endpoints_through_routes() -> None:
    profile = body("Profiles_Get")
    domain = body("AFDCustomDomains_Get")
    endpoint = body("AFDEndpoints_Get")
    route = body("Routes_Get")          # refers to the domain with mixed-case resourceGroups/customDomains
    origin = body("AFDOrigins_Get")
    origin["id"] = "/subscriptions/subid/resourcegroups/RG/providers/Microsoft.Cdn/profiles/profile1/originGroups/originGroup1/origins/origin1"
    rule = body("Rules_Get")
    rule["properties"]["actions"] += [
        {"name": "UrlRedirect", "parameters": {"typeName": "DeliveryRuleUrlRedirectActionParameters",
                                               "redirectType": "Moved", "customHostname": "Login.Contoso-Legacy.net"}},
        {"name": "RouteConfigurationOverride", "parameters": {
            "originGroupOverride": {"originGroup": {"id": route["properties"]["originGroup"]["id"].upper()}}}},
    ]
    extract = front_door(FrontDoorProfile(
        profile=profile, custom_domains=[domain], secrets=body("Secrets_ListByProfile")["value"],
        endpoints=[endpoint], routes=[route], origins=[origin], rules=[rule]))

    [cd] = extract.custom_domains
    assert cd.hostname == "www.contoso.com"
    assert cd.expected_targets == ("endpoint1-abcdefghijklmnop.z01.azurefd.net",)
    assert cd.serving_resource_id == profile["id"] and cd.resource_id == domain["id"]
    assert cd.certificate_kind is CertificateKind.MANAGED
    assert cd.validation_state == "Pending" and cd.min_tls_version == "1.2"
    assert cd.validation_token == "8c9912db-c615-4eeb-8465"
    assert cd.validation_expires == datetime(2009, 6, 15, 13, 45, 43, tzinfo=UTC)
    [binding] = extract.bindings                       # managed, secret.id "": no certificate key
    assert binding.certificate_key is None and binding.certificate_ref is None
    assert {r.type for r in extract.resources} == {"microsoft.cdn/profiles", "microsoft.cdn/profiles/afdendpoints"}
    assert ("endpoint1-abcdefghijklmnop.z01.azurefd.net",) in [r.default_hostnames for r in extract.resources]
    origins = {(r.hostname, r.where) for r in extract.references if r.kind is ReferenceKind.FRONTDOOR_ORIGIN}
    assert origins == {("host1.blob.core.windows.net", "properties.hostName"),
                       ("host1.foo.com", "properties.originHostHeader")}
    rules = {(r.hostname, r.where) for r in extract.references if r.kind is ReferenceKind.FRONTDOOR_RULE}
    assert rules == {("login.contoso-legacy.net", "properties.actions[1].parameters.customHostname"),
                     ("host1.blob.core.windows.net", "properties.actions[2].parameters.originGroupOverride")}


def test_customer_certificate_binding() -> None:
    domain = body("AFDCustomDomains_Get")
    secret = body("Secrets_Get")
    secret["properties"]["parameters"]["useLatestVersion"] = False
    domain["properties"]["tlsSettings"]["certificateType"] = "CustomerCertificate"
    domain["properties"]["tlsSettings"]["secret"]["id"] = secret["id"].replace("/secrets/", "/Secrets/")
    extract = front_door(FrontDoorProfile(profile=body("Profiles_Get"), custom_domains=[domain], secrets=[secret]))
    [binding] = extract.bindings
    assert binding.certificate_key == secret["id"].lower()
    assert binding.pinned_version == "abcdef1234578900abcdef1234567890"
    assert binding.use_latest_version is False
    assert binding.thumbprint == "ABCDEF1234567890ABCDEF1234567890ABCDEF12"
    assert extract.custom_domains[0].certificate_kind is CertificateKind.CUSTOMER
    assert extract.custom_domains[0].expected_targets == ()     # no route serves it


def test_validation_expiry_empty_string_is_tolerated() -> None:
    created = json.loads(next(EXAMPLES.glob("*/AFDCustomDomains_Create.json")).read_text())
    domain = created["responses"]["202"]["body"]
    extract = front_door(FrontDoorProfile(profile=body("Profiles_Get"), custom_domains=[domain]))
    assert extract.custom_domains[0].validation_state == "Submitting"
    assert extract.custom_domains[0].validation_token is None and extract.custom_domains[0].validation_expires is None
