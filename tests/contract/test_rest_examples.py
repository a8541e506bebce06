"""Azure's own REST examples (../shared/azure-rest-examples), served by the emulator from a
temporary estate and read back through the real async SDK clients into their models."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from azure.mgmt.apimanagement.aio import ApiManagementClient
from azure.mgmt.cdn.aio import CdnManagementClient
from azure.mgmt.dns.aio import DnsManagementClient
from azure.mgmt.frontdoor.aio import FrontDoorManagementClient
from azure.mgmt.keyvault.aio import KeyVaultManagementClient
from azure.mgmt.network.aio import NetworkManagementClient
from azure.mgmt.resourcegraph.aio import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions, QueryResponse
from azure.mgmt.trafficmanager.aio import TrafficManagerManagementClient
from azure.mgmt.web.aio import WebSiteManagementClient
from rest_examples import REST_EXAMPLES

from auditor.cloud import AZURE_PUBLIC
from auditor.collect.clients import ClientFactory
from auditor.collect.session import make_credential, open_session
from auditor.config import CollectConfig
from auditor.emulator import Emulator

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "azure-rest-examples"
if not EXAMPLES.is_dir():
    EXAMPLES = REST_EXAMPLES
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def example(rel: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / rel).read_text())


def body(rel: str) -> Any:
    return example(rel)["responses"]["200"]["body"]


def _parent(obj: dict[str, Any]) -> dict[str, Any]:
    """A minimal parent object, so that a child collection's parent exists as in ARM."""
    parent_id = obj["id"].rsplit("/", 2)[0]
    return {"id": parent_id, "name": parent_id.rsplit("/", 1)[1], "type": obj["type"].rsplit("/", 1)[0]}


def _typed(obj: dict[str, Any]) -> dict[str, Any]:
    """Some list examples omit `type`, which the estate format requires: add the one the id implies."""
    if "type" in obj:
        return obj
    parts = obj["id"].split("/")
    at = max(i for i, p in enumerate(parts) if p.lower() == "providers")
    return dict(obj, type="/".join([parts[at + 1]] + parts[at + 2::2]))


def _sub_of(obj_id: str) -> str:
    return obj_id.split("/")[2]


@asynccontextmanager
async def serve(tmp_path: Path, arm: list[dict[str, Any]] = (), keyvault: dict[str, Any] | None = None,
                subs: tuple[str, ...] = ()) -> AsyncIterator[ClientFactory]:
    subscriptions = sorted(set(subs) | {_sub_of(o["id"]) for o in arm}) or ["00000000-0000-0000-0000-000000000000"]
    (tmp_path / "arm").mkdir()
    (tmp_path / "estate.json").write_text(json.dumps({
        "format": "auditor-estate/1", "tenant_id": TENANT, "as_of": "2025-09-10T00:00:00Z",
        "subscriptions": [{"subscriptionId": s} for s in subscriptions]}))
    (tmp_path / "arm" / "objects.json").write_text(json.dumps(list(arm)))
    for vault, certs in (keyvault or {}).items():
        for cert, bundles in certs.items():
            folder = tmp_path / "keyvault" / vault / cert
            folder.mkdir(parents=True)
            for i, b in enumerate(bundles):
                (folder / f"{i}.json").write_text(json.dumps(b))
    with Emulator(tmp_path) as ep:
        network = ep.network()
        async with open_session(network) as session:
            credential = make_credential(network, AZURE_PUBLIC, ep.tenant_id, session)
            async with credential:
                yield ClientFactory(cloud=AZURE_PUBLIC, credential=credential, session=session,
                                    settings=CollectConfig(retries=0))


Check = Callable[[ClientFactory], Awaitable[None]]


async def _mgmt_get(factory: ClientFactory, cls: type, sub: str, call: Callable[[Any], Awaitable[Any]]) -> Any:
    async with factory.mgmt(cls, sub) as client:
        return await call(client)


async def _mgmt_list(factory: ClientFactory, cls: type, sub: str, call: Callable[[Any], Any]) -> list[Any]:
    async with factory.mgmt(cls, sub) as client:
        return [item async for item in call(client)]


# --- ARM: one stored object each, fetched by its SDK operation --------------------------------

GETS: list[tuple[str, type, Callable[[Any], Awaitable[Any]], Callable[[Any, dict[str, Any]], None]]] = [
    ("apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json", ApiManagementClient,
     lambda c: c.api_management_service.get("rg1", "apimService1"),
     lambda m, b: (
         [h.host_name for h in m.hostname_configurations] == [h["hostName"] for h in b["properties"]["hostnameConfigurations"]]
         and m.hostname_configurations[1].key_vault_id == b["properties"]["hostnameConfigurations"][1]["keyVaultId"]
         and m.hostname_configurations[1].certificate.expiry.year == 2020
         and m.hostname_configurations[1].certificate.thumbprint == "9833D531D7A45XXXXXA85908BD3692E0BD3F") or _fail(m)),
    ("cdn/2025-12-01/AFDCustomDomains_Get.json", CdnManagementClient,
     lambda c: c.afd_custom_domains.get("RG", "profile1", "domain1"),
     lambda m, b: (m.host_name == b["properties"]["hostName"]
                   and m.tls_settings.certificate_type == "ManagedCertificate"
                   and m.validation_properties.expiration_date == b["properties"]["validationProperties"]["expirationDate"]
                   ) or _fail(m)),
    ("cdn/2026-07-01/AFDCustomDomains_Create.json", CdnManagementClient,
     lambda c: c.afd_custom_domains.get("RG", "profile1", "domain1"),
     lambda m, b: (m.host_name == b["properties"]["hostName"] and m.azure_dns_zone.id == ""
                   and m.validation_properties.expiration_date == "") or _fail(m)),
    ("cdn/2025-12-01/Profiles_Get.json", CdnManagementClient, lambda c: c.profiles.get("RG", "profile1"),
     lambda m, b: (m.sku.name == "Premium_AzureFrontDoor" and m.front_door_id == b["properties"]["frontDoorId"]
                   and m.kind == "frontdoor") or _fail(m)),
    ("cdn/2025-12-01/Rules_Get.json", CdnManagementClient, lambda c: c.rules.get("RG", "profile1", "ruleSet1", "rule1"),
     lambda m, b: (m.actions[0].name == b["properties"]["actions"][0]["name"]
                   and m.conditions[0].name == b["properties"]["conditions"][0]["name"]) or _fail(m)),
    ("cdn/2026-07-01/AFDEndpoints_Get.json", CdnManagementClient, lambda c: c.afd_endpoints.get("RG", "profile1", "endpoint1"),
     lambda m, b: (m.host_name == b["properties"]["hostName"] and m.host_name.endswith(".azurefd.net")) or _fail(m)),
    ("cdn/2026-07-01/AFDOrigins_Get.json", CdnManagementClient,
     lambda c: c.afd_origins.get("RG", "profile1", "origingroup1", "origin1"),
     lambda m, b: (m.host_name == b["properties"]["hostName"] and m.origin_host_header == b["properties"]["originHostHeader"]
                   and m.enforce_certificate_name_check == b["properties"]["enforceCertificateNameCheck"]) or _fail(m)),
    ("cdn/2026-07-01/Routes_Get.json", CdnManagementClient, lambda c: c.routes.get("RG", "profile1", "endpoint1", "route1"),
     lambda m, b: ([d.id for d in m.custom_domains] == [d["id"] for d in b["properties"]["customDomains"]]
                   and m.origin_group.id == b["properties"]["originGroup"]["id"]) or _fail(m)),
    ("cdn/2026-07-01/Secrets_Get.json", CdnManagementClient, lambda c: c.secrets.get("RG", "profile1", "secret1"),
     lambda m, b: (m.parameters.type == "CustomerCertificate"
                   and m.parameters.secret_source.id == b["properties"]["parameters"]["secretSource"]["id"]
                   and m.parameters.use_latest_version is True
                   and m.parameters.expiration_date == b["properties"]["parameters"]["expirationDate"]) or _fail(m)),
    ("dns/2018-05-01/GetCNAMERecordset.json", DnsManagementClient,
     lambda c: c.record_sets.get("rg1", "zone1", "record1", "CNAME"),
     lambda m, b: (m.cname_record.cname == b["properties"]["CNAMERecord"]["cname"] and m.ttl == b["properties"]["TTL"]
                   and m.fqdn == b["properties"]["fqdn"]) or _fail(m)),
    ("dns/2018-05-01/GetARecordset.json", DnsManagementClient, lambda c: c.record_sets.get("rg1", "zone1", "record1", "A"),
     lambda m, b: ([a.ipv4_address for a in m.a_records] == [a["ipv4Address"] for a in b["properties"]["ARecords"]])
     or _fail(m)),
    ("dns/2018-05-01/CreateOrUpdateARecordsetAlias.json", DnsManagementClient,
     lambda c: c.record_sets.get("rg1", "zone1", "record1", "A"),
     lambda m, b: (m.target_resource.id == b["properties"]["targetResource"]["id"] and not m.a_records) or _fail(m)),
    ("frontdoor-classic/2026-04-01/FrontdoorGet.json", FrontDoorManagementClient,
     lambda c: c.front_doors.get("rg1", "frontDoor1"),
     lambda m, b: ([f.host_name for f in m.frontend_endpoints] == [f["properties"]["hostName"] for f in b["properties"]["frontendEndpoints"]]
                   and len(m.routing_rules) == len(b["properties"]["routingRules"])) or _fail(m)),
    ("keyvault-mgmt/2025-05-01/getVault.json", KeyVaultManagementClient,
     lambda c: c.vaults.get("sample-resource-group", "sample-vault"),
     lambda m, b: (m.properties.vault_uri == b["properties"]["vaultUri"] and m.name == "sample-vault") or _fail(m)),
    ("network/2025-07-01/ApplicationGatewayGet.json", NetworkManagementClient,
     lambda c: c.application_gateways.get("rg1", "appgw"),
     lambda m, b: ([s.name for s in m.ssl_certificates] == [s["name"] for s in b["properties"]["sslCertificates"]]
                   and [h.name for h in m.http_listeners] == [h["name"] for h in b["properties"]["httpListeners"]])
     or _fail(m)),
    ("trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json", TrafficManagerManagementClient,
     lambda c: c.profiles.get("azuresdkfornetautoresttrafficmanager1323", "azuresdkfornetautoresttrafficmanager3880"),
     lambda m, b: (m.dns_config.fqdn == b["properties"]["dnsConfig"]["fqdn"]
                   and [e.target for e in m.endpoints] == [e["properties"]["target"] for e in b["properties"]["endpoints"]])
     or _fail(m)),
    ("trafficmanager/2022-04-01/Endpoint-GET-External-WithSubnetMapping.json", TrafficManagerManagementClient,
     lambda c: c.endpoints.get("azuresdkfornetautoresttrafficmanager2191", "azuresdkfornetautoresttrafficmanager8224",
                               "ExternalEndpoints", "My external endpoint"),
     lambda m, b: (m.target == b["properties"]["target"] and m.name == "My external endpoint") or _fail(m)),
    ("web/2025-05-01/GetWebApp.json", WebSiteManagementClient, lambda c: c.web_apps.get("testrg123", "sitef6141"),
     lambda m, b: (m.host_names == b["properties"]["hostNames"] and m.default_host_name == b["properties"]["defaultHostName"]
                   and [s.name for s in m.host_name_ssl_states] == [s["name"] for s in b["properties"]["hostNameSslStates"]])
     or _fail(m)),
    ("web/2026-03-15/GetCertificate.json", WebSiteManagementClient, lambda c: c.certificates.get("testrg123", "testc6282"),
     lambda m, b: (m.thumbprint == b["properties"]["thumbprint"] and m.host_names == b["properties"]["hostNames"]
                   and m.expiration_date.year == int(b["properties"]["expirationDate"][:4])) or _fail(m)),
    ("web/2026-03-15/GetSiteCertificate.json", WebSiteManagementClient,
     lambda c: c.site_certificates.get("testrg123", "testSiteName", "testc6282"),
     lambda m, b: (m.thumbprint == b["properties"]["thumbprint"] and m.subject_name == b["properties"]["subjectName"])
     or _fail(m)),
    ("web/2026-03-15/ListAppSettings.json", WebSiteManagementClient,
     lambda c: c.web_apps.list_application_settings("testrg123", "sitef6141"),
     lambda m, b: (m.properties == b["properties"]) or _fail(m)),
    ("web/2026-03-15/GetSiteConfig.json", WebSiteManagementClient, lambda c: c.web_apps.get_configuration("testrg123", "sitef6141"),
     lambda m, b: (m.min_tls_version == b["properties"]["minTlsVersion"] and m.cors is None) or _fail(m)),
    ("web/2026-03-15/GetAuthSettingsV2WithoutSecrets.json", WebSiteManagementClient,
     lambda c: c.web_apps.get_auth_settings_v2_without_secrets("testrg123", "sitef6141"),
     lambda m, b: (m.platform.enabled == b["properties"]["platform"]["enabled"]
                   and m.identity_providers.google.enabled == b["properties"]["identityProviders"]["google"]["enabled"])
     or _fail(m)),
]


def _fail(model: Any) -> None:
    raise AssertionError(f"fields did not survive the round trip: {model}")


@pytest.mark.parametrize(("rel", "cls", "call", "check"), GETS, ids=[g[0] for g in GETS])
async def test_arm_get_examples(tmp_path: Path, rel: str, cls: type, call: Any, check: Any) -> None:
    stored = body(rel)
    async with serve(tmp_path, arm=[stored]) as factory:
        model = await _mgmt_get(factory, cls, _sub_of(stored["id"]), call)
    assert model.id == stored["id"]
    check(model, stored)


LISTS: list[tuple[str, type, Callable[[Any], Any], bool]] = [
    ("cdn/2026-07-01/AFDCustomDomains_ListByProfile.json", CdnManagementClient,
     lambda c: c.afd_custom_domains.list_by_profile("RG", "profile1"), True),
    ("cdn/2026-07-01/Secrets_ListByProfile.json", CdnManagementClient,
     lambda c: c.secrets.list_by_profile("RG", "profile1"), True),
    ("dns/2018-05-01/ListTXTRecordset.json", DnsManagementClient,
     lambda c: c.record_sets.list_by_type("rg1", "zone1", "TXT"), True),
    ("frontdoor-classic/2026-04-01/FrontdoorFrontendEndpointList.json", FrontDoorManagementClient,
     lambda c: c.frontend_endpoints.list_by_front_door("rg1", "frontDoor1"), True),
    ("keyvault-mgmt/2026-02-01/listVaultBySubscription.json", KeyVaultManagementClient,
     lambda c: c.vaults.list_by_subscription(), False),
    ("web/2026-03-15/ListCertificates.json", WebSiteManagementClient, lambda c: c.certificates.list(), False),
]


@pytest.mark.parametrize(("rel", "cls", "call", "needs_parent"), LISTS, ids=[g[0] for g in LISTS])
async def test_arm_list_examples(tmp_path: Path, rel: str, cls: type, call: Any, needs_parent: bool) -> None:
    stored = [_typed(o) for o in body(rel)["value"]]
    parents = [_parent(stored[0])] if needs_parent else []
    async with serve(tmp_path, arm=stored + parents) as factory:
        models = await _mgmt_list(factory, cls, _sub_of(stored[0]["id"]), call)
    assert sorted(m.id for m in models) == sorted(o["id"] for o in stored)
    by_id = {m.id: m for m in models}
    for obj in stored:
        model = by_id[obj["id"]]
        assert model.name == obj["name"]
    if rel.startswith("dns/"):
        assert [v.value for v in by_id[stored[0]["id"]].txt_records] == [t["value"] for t in stored[0]["properties"]["TXTRecords"]]
    if rel.startswith("cdn/2026-07-01/Secrets"):
        assert {m.parameters.type for m in models} == {o["properties"]["parameters"]["type"] for o in stored}


# --- Key Vault data plane -----------------------------------------------------------------------

VAULT = "https://myvault.vault.azure.net"


async def test_keyvault_get_certificate_example(tmp_path: Path) -> None:
    stored = body("keyvault-dataplane/2026-04-01/GetCertificate-example.json")
    async with serve(tmp_path, keyvault={"myvault": {"selfsignedcert01": [stored]}}) as factory, factory.certificates(VAULT) as client:
        cert = await client.get_certificate("selfSignedCert01")
        same = await client.get_certificate_version("selfSignedCert01", "f60f2a4f8ae442cfb41ca2090bd4b769")
    assert cert.id == same.id == stored["id"]
    assert cert.properties.x509_thumbprint.hex() == "7cb8b7539d87ba7215357b9b9049dff2d3fa59ba"
    assert int(cert.properties.expires_on.timestamp()) == stored["attributes"]["exp"]
    assert int(cert.properties.created_on.timestamp()) == stored["attributes"]["created"]
    assert cert.policy.issuer_name == "Unknown" and cert.policy.subject == "CN=KeyVaultTest"
    assert cert.policy.lifetime_actions[0].action.value == "EmailContacts"
    assert bytes(cert.cer)[:2] == b"\x30\x82"


async def test_keyvault_list_certificates_example(tmp_path: Path) -> None:
    items = body("keyvault-dataplane/7.6/GetCertificates-example.json")["value"]
    bundles = {item["id"].rsplit("/", 1)[1].lower(): [dict(item, id=item["id"] + "/0123456789abcdef")] for item in items}
    async with serve(tmp_path, keyvault={"myvault": bundles}) as factory, factory.certificates(VAULT) as client:
        listed = [p async for p in client.list_properties_of_certificates()]
    assert sorted(p.id for p in listed) == sorted(i["id"] for i in items)
    assert {p.name for p in listed} == {"listCert01", "listCert02"}
    assert all(p.version is None and p.enabled for p in listed)
    assert sorted(int(p.created_on.timestamp()) for p in listed) == sorted(i["attributes"]["created"] for i in items)


async def test_keyvault_versions_example(tmp_path: Path) -> None:
    items = body("keyvault-dataplane/2026-04-01/GetCertificateVersions-example.json")["value"]
    async with serve(tmp_path, keyvault={"myvault": {"listversionscert01": items}}) as factory, factory.certificates(VAULT) as client:
        versions = [p async for p in client.list_properties_of_certificate_versions("listVersionsCert01")]
        current = await client.get_certificate("listVersionsCert01")
    assert sorted(p.id for p in versions) == sorted(i["id"] for i in items)
    newest = max(items, key=lambda i: i["attributes"]["created"])
    assert current.id == newest["id"]


async def test_keyvault_policy_example(tmp_path: Path) -> None:
    policy = body("keyvault-dataplane/7.6/GetCertificatePolicy-example.json")
    stored = dict(body("keyvault-dataplane/2026-04-01/GetCertificate-example.json"), policy=policy,
                  id=f"{VAULT}/certificates/updateCert01/0a1b2c")
    async with serve(tmp_path, keyvault={"myvault": {"updatecert01": [stored]}}) as factory, factory.certificates(VAULT) as client:
        got = await client.get_certificate_policy("updateCert01")
    assert got.issuer_name == policy["issuer"]["name"]
    assert got.subject == policy["x509_props"]["subject"]
    assert got.validity_in_months == policy["x509_props"]["validity_months"]
    assert got.lifetime_actions[0].lifetime_percentage == 80


# --- Resource Graph ------------------------------------------------------------------------------

def _rows_as_resources(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": r["id"], "name": r["name"], "type": r.get("type", "microsoft.compute/virtualmachines"),
             "location": r["location"], "tags": r.get("tags"),
             "properties": {"storageProfile": {"osDisk": {"osType": r["properties_storageProfile_osDisk_osType"]}}}
             if "properties_storageProfile_osDisk_osType" in r else {}} for r in rows]


async def _graph(factory: ClientFactory, request: dict[str, Any], **options: Any) -> QueryResponse:
    async with factory.mgmt(ResourceGraphClient) as client:
        return await client.resources(QueryRequest(
            subscriptions=request["subscriptions"], query=request["query"],
            options=QueryRequestOptions(**options) if options else None))


def _same_shape(ours: QueryResponse, theirs: dict[str, Any]) -> None:
    expected = QueryResponse.deserialize(theirs)
    assert set(ours.as_dict()) == set(expected.as_dict())
    assert ours.result_truncated == expected.result_truncated


async def test_resource_graph_basic_example(tmp_path: Path) -> None:
    ex = example("resourcegraph/2024-04-01/ResourcesBasicQuery.json")
    response = ex["responses"]["200"]["body"]
    async with serve(tmp_path, arm=_rows_as_resources(response["data"])) as factory:
        ours = await _graph(factory, ex["parameters"]["query"])
    _same_shape(ours, response)
    assert sorted(ours.data, key=lambda r: r["id"]) == sorted(response["data"], key=lambda r: r["id"])
    assert (ours.count, ours.total_records) == (response["count"], response["totalRecords"])


async def test_resource_graph_paging_examples(tmp_path: Path) -> None:
    first = example("resourcegraph/2024-04-01/ResourcesFirstPageQuery.json")
    following = example("resourcegraph/2024-04-01/ResourcesNextPageQuery.json")
    shown = first["responses"]["200"]["body"]
    total = shown["totalRecords"]
    sub = first["parameters"]["query"]["subscriptions"][0]
    filler = [{"id": f"/subscriptions/{sub}/resourceGroups/RG9/providers/Microsoft.Compute/disks/test{i:04d}",
               "name": f"test{i:04d}", "type": "Microsoft.Compute/disks", "location": "eastus"}
              for i in range(total - len(shown["data"]))]
    async with serve(tmp_path, arm=_rows_as_resources(shown["data"]) + filler) as factory:
        page1 = await _graph(factory, first["parameters"]["query"], skip=0, top=3)
        page2 = await _graph(factory, following["parameters"]["query"], skip_token=page1.skip_token, top=3)
    _same_shape(page1, shown)
    _same_shape(page2, following["responses"]["200"]["body"])
    assert page1.data == shown["data"]   # the example's rows sort first by id
    assert (page1.count, page1.total_records) == (3, total)
    assert page2.skip_token and page2.skip_token != page1.skip_token
    assert not {r["id"] for r in page1.data} & {r["id"] for r in page2.data}


async def test_resource_graph_facet_example_rows(tmp_path: Path) -> None:
    ex = example("resourcegraph/2024-04-01/ResourcesFacetQuery.json")
    response = ex["responses"]["200"]["body"]
    async with serve(tmp_path, arm=_rows_as_resources(response["data"])) as factory:
        ours = await _graph(factory, ex["parameters"]["query"])
    assert ours.total_records == response["totalRecords"]
    key = "properties_storageProfile_osDisk_osType"
    assert sorted((r["id"], r[key], r["resourceGroup"]) for r in ours.data) == \
        sorted((r["id"], r[key], r["resourceGroup"].lower()) for r in response["data"])
