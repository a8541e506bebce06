from pathlib import Path
from typing import Any

from service_harness import arm, arm_id, run_collector, write_estate

from auditor.collect.frontdoor import COLLECTOR
from auditor.model import CertificateKind, GapReason, ReferenceKind, Renewal, Source

P = "Microsoft.Cdn/profiles"
KV_SECRET = arm_id("Microsoft.KeyVault/vaults/secrets", "kv-edge/wildcard-contoso", rg="rg-sec")


def estate() -> list[dict[str, Any]]:
    profile = arm(P, "fd1", {"frontDoorId": "3b4682da", "resourceState": "Active"}, location="global",
                  sku={"name": "Premium_AzureFrontDoor"}, kind="frontdoor", tags={"team": "edge"})
    secret = arm(f"{P}/secrets", "fd1/wildcard", {"parameters": {
        "type": "CustomerCertificate", "secretSource": {"id": KV_SECRET}, "secretVersion": "v2",
        "useLatestVersion": False, "expirationDate": "2025-10-01T00:00:00-00:00", "subject": "*.contoso.com",
        "subjectAlternativeNames": ["*.contoso.com", "contoso.com"], "thumbprint": "ab" * 20,
        "certificateAuthority": "DigiCert"}})
    managed = arm(f"{P}/secrets", "fd1/managed-www", {"parameters": {
        "type": "ManagedCertificate", "expirationDate": "2026-01-01T00:00:00Z", "subject": "www.contoso.com"}})
    www = arm(f"{P}/customDomains", "fd1/www", {
        "hostName": "www.contoso.com", "domainValidationState": "Approved",
        "tlsSettings": {"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12",
                        "secret": {"id": managed["id"]}},
        "validationProperties": {"validationToken": "tok", "expirationDate": ""}, "azureDnsZone": {"id": ""}})
    api = arm(f"{P}/customDomains", "fd1/api", {
        "hostName": "API.contoso.com", "domainValidationState": "Approved",
        "tlsSettings": {"certificateType": "CustomerCertificate", "minimumTlsVersion": "TLS10",
                        "secret": {"id": secret["id"].replace("/secrets/", "/Secrets/")}}})
    endpoint = arm(f"{P}/afdEndpoints", "fd1/web", {"hostName": "web-abc123.z01.azurefd.net", "enabledState": "Enabled"},
                   location="global")
    route = arm(f"{P}/afdEndpoints/routes", "fd1/web/all", {
        "customDomains": [{"id": www["id"].replace("resourceGroups", "resourcegroups").replace("customDomains", "customdomains")},
                          {"id": api["id"]}],
        "originGroup": {"id": arm_id(f"{P}/originGroups", "fd1/apps")}})
    group = arm(f"{P}/originGroups", "fd1/apps", {"healthProbeSettings": None})
    origin = arm(f"{P}/originGroups/origins", "fd1/apps/site", {
        "hostName": "shop-legacy.azurewebsites.net", "originHostHeader": "shop.contoso-legacy.net",
        "enforceCertificateNameCheck": True})
    rule_set = arm(f"{P}/ruleSets", "fd1/redirects", {})
    rule = arm(f"{P}/ruleSets/rules", "fd1/redirects/old", {"order": 1, "actions": [
        {"name": "UrlRedirect", "parameters": {"typeName": "DeliveryRuleUrlRedirectActionParameters",
                                               "redirectType": "Found", "customHostname": "login.contoso-legacy.net"}}],
        "conditions": []})
    classic_cdn = arm(P, "cdn-classic", {}, location="global", sku={"name": "Standard_Microsoft"})
    return [profile, secret, managed, www, api, endpoint, route, group, origin, rule_set, rule, classic_cdn]


async def test_front_door_profile_end_to_end(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, estate()), COLLECTOR)
    assert partial.gaps == []
    domains = {d.hostname: d for d in partial.custom_domains}
    assert set(domains) == {"www.contoso.com", "api.contoso.com"}
    assert domains["www.contoso.com"].expected_targets == ("web-abc123.z01.azurefd.net",)
    assert domains["api.contoso.com"].expected_targets == ("web-abc123.z01.azurefd.net",)
    assert domains["www.contoso.com"].certificate_kind is CertificateKind.MANAGED
    assert domains["api.contoso.com"].min_tls_version == "1.0"
    assert domains["www.contoso.com"].validation_token == "tok"
    certs = {c.name: c for c in partial.certificates}
    assert certs["wildcard"].renewal is Renewal.FOLLOWS_KEY_VAULT
    assert certs["wildcard"].key_vault_id == "kv-edge/wildcard-contoso" and certs["wildcard"].pinned_version == "v2"
    assert certs["managed-www"].renewal is Renewal.PLATFORM
    bindings = {b.hostname: b for b in partial.bindings}
    assert bindings["api.contoso.com"].certificate_key == certs["wildcard"].key
    assert bindings["api.contoso.com"].use_latest_version is False
    assert bindings["www.contoso.com"].certificate_key == certs["managed-www"].key
    refs = {(r.kind, r.hostname) for r in partial.references}
    assert refs == {(ReferenceKind.FRONTDOOR_ORIGIN, "shop-legacy.azurewebsites.net"),
                    (ReferenceKind.FRONTDOOR_ORIGIN, "shop.contoso-legacy.net"),
                    (ReferenceKind.FRONTDOOR_RULE, "login.contoso-legacy.net")}
    hosts = {h for r in partial.resources for h in r.default_hostnames}
    assert hosts == {"web-abc123.z01.azurefd.net"}
    assert all("cdn-classic" not in r.id for r in partial.resources)


async def test_unreadable_listing_is_a_named_gap(tmp_path: Path) -> None:
    faults = [{"service": "arm", "match": "/profiles/fd1/secrets", "status": 403},
              {"service": "arm", "match": "/afdEndpoints/web/routes", "status": 500}]
    partial = await run_collector(write_estate(tmp_path, estate(), faults), COLLECTOR)
    gaps = {(g.source, g.reason, g.target.rsplit("/", 1)[-1], g.detail.split(" not read")[0]) for g in partial.gaps}
    assert gaps == {(Source.ARM, GapReason.FORBIDDEN, "fd1", "secrets"),
                    (Source.ARM, GapReason.UNAVAILABLE, "web", "routes")}
    # What could be read is still there; what depended on the gaps is visibly incomplete.
    assert {d.hostname for d in partial.custom_domains} == {"www.contoso.com", "api.contoso.com"}
    assert all(d.expected_targets == () for d in partial.custom_domains)
    assert partial.certificates == []


async def test_profile_sku_comes_from_resource_graph_without_an_extra_read(tmp_path: Path) -> None:
    # The inventory query projects sku, so the profile itself is never read from ARM:
    # a fault on that read must not matter, and everything is still collected.
    faults = [{"service": "arm", "match": "/profiles/fd1?api-version", "status": 403}]
    partial = await run_collector(write_estate(tmp_path, estate(), faults), COLLECTOR)
    assert partial.gaps == []
    assert {d.hostname for d in partial.custom_domains} >= {"www.contoso.com"}
    assert partial.certificates
