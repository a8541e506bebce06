"""ARM through the real async SDK clients: ids, collections, paging, list actions, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.cdn.aio import CdnManagementClient
from azure.mgmt.dns.aio import DnsManagementClient
from azure.mgmt.web.aio import WebSiteManagementClient
from https_support import SUB1, SUB2, azure, bearer, fetch, resource, write_estate

from auditor.emulator import Emulator, EmulatorEndpoints

ARM = "https://management.azure.com"
SITES = 250


def _estate_objects() -> list[dict]:
    objects = [resource(SUB1, "RG-Web", "Microsoft.Web/sites", f"app{i:03d}",
                        properties={"hostNames": [f"app{i:03d}.azurewebsites.net"]}) for i in range(SITES)]
    objects += [
        resource(SUB2, "rg2", "Microsoft.Web/sites", "other", properties={"hostNames": []}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/config", "app000/appsettings",
                 properties={"CALLBACK": "https://login.contoso-legacy.net/cb"}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/config", "app000/connectionstrings",
                 properties={"db": {"value": "Server=db.contoso.net", "type": "SQLAzure"}}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/config", "app000/web",
                 properties={"minTlsVersion": "1.0", "cors": {"allowedOrigins": ["https://a.contoso.com"]}}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/slots", "app000/staging", properties={}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/slots/config", "app000/staging/appsettings",
                 properties={"SLOT": "https://slot.contoso.net"}),
        resource(SUB1, "RG-Web", "Microsoft.Web/sites/hostNameBindings", "app000/www.contoso.com",
                 properties={"sslState": "SniEnabled", "thumbprint": "AB" * 20}),
        resource(SUB1, "rg-fd", "Microsoft.Cdn/profiles", "fd1", sku={"name": "Premium_AzureFrontDoor"},
                 kind="frontdoor", properties={}),
        resource(SUB1, "rg-fd", "Microsoft.Cdn/profiles/customDomains", "fd1/www-contoso",
                 properties={"hostName": "www.contoso.com", "tlsSettings": {"certificateType": "ManagedCertificate"}}),
        resource(SUB1, "rg-dns", "Microsoft.Network/dnszones", "contoso.com", location="global", properties={}),
        resource(SUB1, "rg-dns", "Microsoft.Network/dnszones/CNAME", "contoso.com/www",
                 properties={"TTL": 3600, "CNAMERecord": {"cname": "fd1.z01.azurefd.net"}}),
        resource(SUB1, "rg-dns", "Microsoft.Network/dnszones/A", "contoso.com/@",
                 properties={"TTL": 300, "ARecords": [{"ipv4Address": "203.0.113.10"}]}),
    ]
    return objects


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorEndpoints]:
    root = write_estate(tmp_path_factory.mktemp("arm"), arm=_estate_objects(), subscriptions=(SUB1, SUB2))
    with Emulator(root) as ep:
        yield ep


async def test_get_by_id_is_case_insensitive(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory, factory.mgmt(WebSiteManagementClient, SUB1) as web:
        site = await web.web_apps.get("rg-web", "APP007")
    assert site.name == "app007"
    assert site.host_names == ["app007.azurewebsites.net"]


async def test_collection_pages_with_next_link_and_returns_each_site_once(tmp_path) -> None:
    root = write_estate(tmp_path, arm=_estate_objects(), subscriptions=(SUB1, SUB2))
    emulator = Emulator(root, arm_page_size=100)
    with emulator as ep:
        async with azure(ep) as factory, factory.mgmt(WebSiteManagementClient, SUB1) as web:
            names = [s.name async for s in web.web_apps.list()]
        calls = [e for e in emulator.log.entries("arm") if "/providers/Microsoft.Web/sites" in e.key]
    assert sorted(names) == [f"app{i:03d}" for i in range(SITES)]
    assert len(calls) == 3   # 100 + 100 + 50
    assert sum("$skiptoken" in c.key for c in calls) == 2


async def test_child_collections(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        async with factory.mgmt(CdnManagementClient, SUB1) as cdn:
            domains = [d async for d in cdn.afd_custom_domains.list_by_profile("rg-fd", "fd1")]
        async with factory.mgmt(WebSiteManagementClient, SUB1) as web:
            bindings = [b async for b in web.web_apps.list_host_name_bindings("rg-web", "app000")]
            slots = [s async for s in web.web_apps.list_slots("rg-web", "app000")]
            configs = [c async for c in web.web_apps.list_configurations("rg-web", "app000")]
        async with factory.mgmt(DnsManagementClient, SUB1) as dns:
            every = [r async for r in dns.record_sets.list_all_by_dns_zone("rg-dns", "contoso.com")]
            cnames = [r async for r in dns.record_sets.list_by_type("rg-dns", "contoso.com", "CNAME")]
    assert [d.host_name for d in domains] == ["www.contoso.com"]
    assert [b.name for b in bindings] == ["www.contoso.com"]
    assert [s.name for s in slots] == ["staging"]
    assert [c.name for c in configs] == ["web"]   # secret-bearing configs only come from their list action
    assert sorted(r.name for r in every) == ["@", "www"]
    assert [r.cname_record.cname for r in cnames] == ["fd1.z01.azurefd.net"]


async def test_list_actions_return_settings_and_site_config(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory, factory.mgmt(WebSiteManagementClient, SUB1) as web:
        settings = await web.web_apps.list_application_settings("rg-web", "app000")
        slot = await web.web_apps.list_application_settings_slot("rg-web", "app000", "staging")
        strings = await web.web_apps.list_connection_strings("rg-web", "app000")
        config = await web.web_apps.get_configuration("rg-web", "app000")
        unset = await web.web_apps.list_application_settings("rg-web", "app001")   # never set: empty, as ARM
        with pytest.raises(ResourceNotFoundError):
            await web.web_apps.list_application_settings("rg-web", "app999")
    assert unset.properties in ({}, None)
    assert settings.properties == {"CALLBACK": "https://login.contoso-legacy.net/cb"}
    assert slot.properties == {"SLOT": "https://slot.contoso.net"}
    assert strings.properties["db"].value == "Server=db.contoso.net"
    assert config.min_tls_version == "1.0"
    assert config.cors.allowed_origins == ["https://a.contoso.com"]


async def test_subscriptions_and_resource_groups(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        status, _, body = await fetch(factory.session, "GET", f"{ARM}/subscriptions?api-version=2022-12-01", headers=auth)
        assert status == 200
        assert [s["subscriptionId"] for s in json.loads(body)["value"]] == [SUB1, SUB2]
        status, _, body = await fetch(factory.session, "GET",
                                      f"{ARM}/subscriptions/{SUB1}/resourcegroups?api-version=2022-12-01", headers=auth)
        assert sorted(g["name"] for g in json.loads(body)["value"]) == ["RG-Web", "rg-dns", "rg-fd"]
        status, _, body = await fetch(factory.session, "GET",
                                      f"{ARM}/subscriptions/{SUB2}/providers/Microsoft.Web/sites?api-version=1",
                                      headers=auth)
        assert [s["name"] for s in json.loads(body)["value"]] == ["other"]


async def test_errors_have_arm_shape(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        site = f"{ARM}/subscriptions/{SUB1}/resourceGroups/rg-web/providers/Microsoft.Web/sites"
        status, headers, body = await fetch(factory.session, "GET", f"{site}/app001?api-version=1")
        assert status == 401
        assert headers["WWW-Authenticate"].startswith("Bearer authorization_uri=")
        assert json.loads(body)["error"]["code"] == "AuthenticationFailed"
        status, _, body = await fetch(factory.session, "GET", f"{site}/app001", headers=auth)
        assert (status, json.loads(body)["error"]["code"]) == (400, "MissingApiVersionParameter")
        status, _, body = await fetch(factory.session, "GET", f"{site}/nope?api-version=1", headers=auth)
        assert (status, json.loads(body)["error"]["code"]) == (404, "ResourceNotFound")
        status, _, body = await fetch(factory.session, "GET", f"{site}/app000/config/appsettings?api-version=1",
                                      headers=auth)
        assert status == 405   # settings are secrets: only their POST list action reads them
        status, _, body = await fetch(factory.session, "GET", f"{site}/nope/slots?api-version=1", headers=auth)
        assert (status, json.loads(body)["error"]["code"]) == (404, "ParentResourceNotFound")
        vault_token = await bearer(factory, "https://vault.azure.net/.default")
        status, _, body = await fetch(factory.session, "GET", f"{site}/app001?api-version=1", headers=vault_token)
        assert (status, json.loads(body)["error"]["code"]) == (401, "InvalidAuthenticationTokenAudience")


async def test_sdk_raises_on_missing_resource(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory, factory.mgmt(WebSiteManagementClient, SUB1) as web:
        with pytest.raises(HttpResponseError) as caught:
            await web.web_apps.get("rg-web", "missing")
    assert caught.value.status_code == 404
    assert caught.value.error.code == "ResourceNotFound"
