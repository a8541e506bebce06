"""Resource Graph: the request's real KQL over the estate, paged with $skipToken."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.resourcegraph.aio import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions
from https_support import SUB1, SUB2, SUB3, azure, bearer, fetch, resource, write_estate

from auditor.emulator import Emulator, EmulatorEndpoints

PER_SUB = 833   # 3 x 833 + 1 vault = 2,500 resources
ARG = "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01"


def _objects() -> list[dict]:
    objects = []
    for sub in (SUB1, SUB2, SUB3):
        for i in range(PER_SUB):
            objects.append(resource(sub, "RG-Apps", "Microsoft.Web/sites", f"site-{sub[-1]}-{i:04d}",
                                    tags={"team": "web"} if i % 2 else None,
                                    properties={"hostNames": [f"s{i}.azurewebsites.net", f"s{i}.contoso.com"],
                                                "siteConfig": {"minTlsVersion": "1.2"}}))
    objects.append(resource(SUB1, "rg-kv", "Microsoft.KeyVault/vaults", "kv1",
                            properties={"vaultUri": "https://kv1.vault.azure.net/"}))
    # children ARG does not index as rows
    objects.append(resource(SUB1, "RG-Apps", "Microsoft.Web/sites/config", "site-1-0000/appsettings",
                            properties={"SECRET": "https://x.contoso.com"}))
    objects.append(resource(SUB1, "rg-dns", "Microsoft.Network/dnszones/CNAME", "contoso.com/www",
                            properties={"CNAMERecord": {"cname": "x.azurewebsites.net"}}))
    return objects


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorEndpoints]:
    root = write_estate(tmp_path_factory.mktemp("arg"), arm=_objects(), subscriptions=(SUB1, SUB2, SUB3))
    with Emulator(root) as ep:
        yield ep


async def _query(endpoints: EmulatorEndpoints, kql: str, subs: list[str] | None = None, **options) -> object:
    async with azure(endpoints) as factory, factory.mgmt(ResourceGraphClient) as arg:
        return await arg.resources(QueryRequest(subscriptions=subs or [SUB1, SUB2, SUB3], query=kql,
                                                options=QueryRequestOptions(**options) if options else None))


async def test_2500_resources_come_back_in_3_pages_each_once(endpoints: EmulatorEndpoints) -> None:
    kql = "Resources | project id, name, type, subscriptionId"
    seen: list[str] = []
    pages = 0
    token = None
    async with azure(endpoints) as factory, factory.mgmt(ResourceGraphClient) as arg:
        while True:
            result = await arg.resources(QueryRequest(
                subscriptions=[SUB1, SUB2, SUB3], query=kql,
                options=QueryRequestOptions(top=1000, skip_token=token, result_format="objectArray")))
            pages += 1
            assert result.total_records == 2500
            seen += [row["id"] for row in result.data]
            token = result.skip_token
            if not token:
                break
    assert pages == 3
    assert len(seen) == 2500 and len(set(seen)) == 2500


async def test_kql_operators_arg_queries_use(endpoints: EmulatorEndpoints) -> None:
    rows = (await _query(endpoints, "resources | where type in~ ('Microsoft.KeyVault/Vaults', 'x/y') "
                                    "| project id, uri = tostring(properties.vaultUri)")).data
    assert rows == [{"id": f"/subscriptions/{SUB1}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv1",
                     "uri": "https://kv1.vault.azure.net/"}]
    rows = (await _query(endpoints, "resources | where type =~ 'MICROSOFT.WEB/SITES' and name == 'site-2-0003' "
                                    "| extend tls = tostring(properties.siteConfig.minTlsVersion) "
                                    "| mv-expand host = properties.hostNames "
                                    "| project name, resourceGroup, tls, host = tostring(host) "
                                    "| order by host asc")).data
    assert rows == [{"name": "site-2-0003", "resourceGroup": "rg-apps", "tls": "1.2", "host": "s3.azurewebsites.net"},
                    {"name": "site-2-0003", "resourceGroup": "rg-apps", "tls": "1.2", "host": "s3.contoso.com"}]
    rows = (await _query(endpoints, "resources | where name == 'site-1-0001' | project tags, properties")).data
    assert rows[0]["tags"] == {"team": "web"} and rows[0]["properties"]["siteConfig"] == {"minTlsVersion": "1.2"}


async def test_subscriptions_filter_and_hidden_children(endpoints: EmulatorEndpoints) -> None:
    result = await _query(endpoints, "resources | summarize n = count() by subscriptionId", subs=[SUB2])
    assert result.data == [{"subscriptionId": SUB2, "n": PER_SUB}]
    result = await _query(endpoints, "resources | where type has 'config' or type has 'dnszones' | project id")
    assert result.total_records == 0 and result.data == []


async def test_response_shape_and_quota_headers(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        status, headers, body = await fetch(factory.session, "POST", ARG, headers=auth, json_body={
            "subscriptions": [SUB1], "query": "resources | where name startswith 'site-1-000' | project id",
            "options": {"$top": 3}})
    data = json.loads(body)
    assert status == 200
    assert set(data) == {"totalRecords", "count", "data", "facets", "resultTruncated", "$skipToken"}
    assert (data["totalRecords"], data["count"], data["resultTruncated"], data["facets"]) == (10, 3, "false", [])
    assert int(headers["x-ms-user-quota-remaining"]) >= 0
    assert len(headers["x-ms-user-quota-resets-after"].split(":")) == 3


async def test_bad_kql_is_a_400_in_arg_shape(endpoints: EmulatorEndpoints) -> None:
    with pytest.raises(HttpResponseError) as caught:
        await _query(endpoints, "resources | wherex name")
    assert caught.value.status_code == 400
    assert caught.value.error.code == "BadRequest"
    assert caught.value.error.details[0].code == "InvalidQuery"
