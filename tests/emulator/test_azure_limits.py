"""The emulator behaves as Azure does where it hurts an auditor: each behaviour with its source.

- Resource Graph quota: x-ms-user-quota-remaining / x-ms-user-quota-resets-after (hh:mm:ss) on
  every answer, 15 queries per 5 s per user, 429 past it:
  https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests
- Resource Graph's 16 MiB answer limit, 400 BadRequest / ResponsePayloadTooLarge "Response payload
  size is N, and has exceeded the limit of 16777216": https://github.com/microsoft/ARI/issues/199,
  https://github.com/dolevshor/azure-orphan-resources/issues/46
- Subscriptions without a role: left out of Resource Graph's answer without an error, and 400
  NoValidSubscriptionsInQueryRequest when none asked for is readable:
  https://github.com/Azure/aztfexport/issues/331 ("there must be a subscription that is eligible")
- ARM reads: token bucket of 250, refilled 25 a second, per subscription and principal; 429 with
  Retry-After; x-ms-ratelimit-remaining-subscription-reads on answers:
  https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling
- Key Vault networking: 403 inner code ForbiddenByFirewall "Client address is not authorized and caller
  is not a trusted service" (https://github.com/hashicorp/terraform-provider-azurerm/issues/20742) and
  ForbiddenByConnection "Connection is not an approved private link ... PublicNetworkAccess is set to
  'Disabled'" (https://github.com/Azure/azure-cli/issues/31406);
  https://learn.microsoft.com/en-us/azure/key-vault/general/network-security
- ARM's secret list (Microsoft.KeyVault/vaults/secrets, metadata without the value):
  https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/secrets/list
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from https_support import SUB1, SUB2, azure, bearer, bundle, fetch, resource, write_estate

from auditor.emulator import Emulator, EmulatorEndpoints
from auditor.emulator.http.resource_graph import ResourceTable

ARM = "https://management.azure.com"
ARG = f"{ARM}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01"
ARM_SCOPE = "https://management.azure.com/.default"
KV_SCOPE = "https://vault.azure.net/.default"


def _sites(sub: str, n: int) -> list[dict[str, Any]]:
    return [resource(sub, "rg-web", "Microsoft.Web/sites", f"site-{sub[-1]}-{i:04d}",
                     properties={"defaultHostName": f"s{i}.azurewebsites.net"}) for i in range(n)]


def _vault(sub: str, name: str, **props: Any) -> dict[str, Any]:
    return resource(sub, "rg-kv", "Microsoft.KeyVault/vaults", name,
                    properties={"vaultUri": f"https://{name}.vault.azure.net/", **props})


def _serve(root: Path, **kwargs: Any) -> Emulator:
    return Emulator(write_estate(root, **kwargs))


async def _graph(endpoints: EmulatorEndpoints, body: dict[str, Any], times: int = 1
                 ) -> list[tuple[int, dict[str, str], dict[str, Any]]]:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, ARM_SCOPE)
        answers = [await fetch(factory.session, "POST", ARG, headers=auth, json_body=body) for _ in range(times)]
    return [(status, {k.lower(): v for k, v in headers.items()}, json.loads(text)) for status, headers, text in answers]


async def test_resource_graph_quota_headers_on_every_answer_and_429_without_retry_after(tmp_path: Path) -> None:
    with _serve(tmp_path, arm=_sites(SUB1, 3), limits={"arg_queries_per_5s": 3}) as endpoints:
        answers = await _graph(endpoints, {"subscriptions": [SUB1], "query": "Resources | project id"}, times=4)
    assert [a[0] for a in answers] == [200, 200, 200, 429]
    assert [a[1]["x-ms-user-quota-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", a[1]["x-ms-user-quota-resets-after"]) for a in answers)
    assert "00:00:00" < answers[3][1]["x-ms-user-quota-resets-after"] <= "00:00:05"
    throttled = answers[3]
    assert "retry-after" not in throttled[1]
    assert throttled[2]["error"]["code"] == "RateLimiting"


async def test_resource_graph_default_quota_is_15_per_5_seconds(tmp_path: Path) -> None:
    with _serve(tmp_path, arm=_sites(SUB1, 1)) as endpoints:
        answers = await _graph(endpoints, {"subscriptions": [SUB1], "query": "Resources | project id"}, times=16)
    assert [a[0] for a in answers] == [200] * 15 + [429]


async def test_an_answer_over_the_size_limit_is_response_payload_too_large(tmp_path: Path) -> None:
    with _serve(tmp_path, arm=_sites(SUB1, 40), limits={"arg_max_response_bytes": 2000}) as endpoints:
        body = {"subscriptions": [SUB1], "query": "Resources | project id, properties | order by id asc"}
        (status, _, big), = await _graph(endpoints, body)
        (small_status, headers, small), = await _graph(endpoints, {**body, "options": {"$top": 5}})
    assert status == 400 and big["error"]["code"] == "BadRequest"
    detail = big["error"]["details"][0]
    assert detail["code"] == "ResponsePayloadTooLarge"
    assert re.search(r"Response payload size is \d+, and has exceeded the limit of 2000", detail["message"])
    assert small_status == 200 and small["count"] == 5 and "$skipToken" in small
    assert "x-ms-user-quota-remaining" in headers


async def test_default_answer_limit_is_16_mib(tmp_path: Path) -> None:
    from auditor.estate.limits import Limits

    assert Limits().arg_max_response_bytes == 16777216


async def test_subscriptions_without_a_role_are_left_out_silently_or_refused_alone(tmp_path: Path) -> None:
    arm = _sites(SUB1, 2) + _sites(SUB2, 2)
    with _serve(tmp_path, arm=arm, subscriptions=(SUB1, SUB2), hidden=(SUB2,)) as endpoints:
        (both, _, mixed), = await _graph(endpoints, {"subscriptions": [SUB1, SUB2], "query": "Resources | project id, subscriptionId"})
        (alone, _, refused), = await _graph(endpoints, {"subscriptions": [SUB2], "query": "Resources | project id"})
        (tenant, _, everything), = await _graph(endpoints, {"query": "Resources | project subscriptionId"})
    assert both == 200 and {r["subscriptionId"] for r in mixed["data"]} == {SUB1} and mixed["count"] == 2
    assert alone == 400 and refused["error"]["details"][0]["code"] == "NoValidSubscriptionsInQueryRequest"
    assert tenant == 200 and {r["subscriptionId"] for r in everything["data"]} == {SUB1}


async def test_arm_hides_and_refuses_a_subscription_without_a_role(tmp_path: Path) -> None:
    arm = _sites(SUB1, 1) + _sites(SUB2, 1)
    with _serve(tmp_path, arm=arm, subscriptions=(SUB1, SUB2), hidden=(SUB2,)) as endpoints:
        async with azure(endpoints) as factory:
            auth = await bearer(factory, ARM_SCOPE)
            listed = await fetch(factory.session, "GET", f"{ARM}/subscriptions?api-version=2022-12-01", headers=auth)
            refused = await fetch(factory.session, "GET",
                                  f"{ARM}/subscriptions/{SUB2}/resourceGroups?api-version=2021-04-01", headers=auth)
    assert [s["subscriptionId"] for s in json.loads(listed[2])["value"]] == [SUB1]
    assert refused[0] == 403 and json.loads(refused[2])["error"]["code"] == "AuthorizationFailed"


async def test_arm_read_bucket_empties_into_429_with_retry_after(tmp_path: Path) -> None:
    limits = {"arm_reads_bucket": 3, "arm_reads_per_second": 1}
    with _serve(tmp_path, arm=_sites(SUB1, 1), limits=limits) as endpoints:
        url = f"{ARM}/subscriptions/{SUB1}/resourceGroups?api-version=2021-04-01"
        async with azure(endpoints) as factory:
            auth = await bearer(factory, ARM_SCOPE)
            answers = [await fetch(factory.session, "GET", url, headers=auth) for _ in range(4)]
            other = await fetch(factory.session, "GET", f"{ARM}/subscriptions?api-version=2022-12-01", headers=auth)
    assert [a[0] for a in answers] == [200, 200, 200, 429]
    remaining = [a[1]["x-ms-ratelimit-remaining-subscription-reads"] for a in answers]
    assert remaining == ["2", "1", "0", "0"]
    assert int(answers[3][1]["Retry-After"]) >= 1
    assert json.loads(answers[3][2])["error"]["code"] == "SubscriptionRequestsThrottled"
    assert other[0] == 200                                    # another bucket: tenant-level reads


def _networked_estate(root: Path) -> Path:
    vaults = [
        _vault(SUB1, "kv-private", publicNetworkAccess="Disabled"),
        _vault(SUB1, "kv-fw", networkAcls={"defaultAction": "Deny", "bypass": "AzureServices",
                                           "ipRules": [{"value": "203.0.113.0/24"}]}),
        _vault(SUB1, "kv-allowed", networkAcls={"defaultAction": "Deny", "ipRules": [{"value": "127.0.0.1/32"}]}),
        resource(SUB1, "rg-kv", "Microsoft.KeyVault/vaults/secrets", "kv-fw/app-order-pfx",
                 properties={"contentType": "application/x-pkcs12",
                             "attributes": {"enabled": True, "exp": 1790000000, "created": 1750000000}}),
    ]
    keyvault = {name: {"web": [bundle(name, "web", "v1", 1750000000)]} for name in ("kv-private", "kv-fw", "kv-allowed")}
    return write_estate(root, arm=vaults, keyvault=keyvault)


@pytest.fixture(scope="module")
def networked(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Emulator(_networked_estate(tmp_path_factory.mktemp("kvnet"))) as endpoints:
        yield endpoints


@pytest.mark.parametrize(("vault", "status", "inner"), [
    ("kv-private", 403, "ForbiddenByConnection"),
    ("kv-fw", 403, "ForbiddenByFirewall"),
    ("kv-allowed", 200, None),
])
async def test_key_vault_network_rules_decide_the_data_plane(networked: EmulatorEndpoints, vault: str, status: int,
                                                            inner: str | None) -> None:
    async with azure(networked) as factory:
        auth = await bearer(factory, KV_SCOPE)
        got, _, text = await fetch(factory.session, "GET", f"https://{vault}.vault.azure.net/certificates?api-version=7.5",
                                   headers=auth)
    assert got == status
    if inner is not None:
        error = json.loads(text)["error"]
        assert (error["code"], error["innererror"]["code"]) == ("Forbidden", inner)


async def test_arm_lists_a_vaults_secret_metadata_whatever_its_firewall(networked: EmulatorEndpoints) -> None:
    vault_id = f"/subscriptions/{SUB1}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-fw"
    async with azure(networked) as factory:
        auth = await bearer(factory, ARM_SCOPE)
        got, _, text = await fetch(factory.session, "GET", f"{ARM}{vault_id}/secrets?api-version=2023-07-01",
                                   headers=auth)
    assert got == 200
    secrets = {s["name"]: s for s in json.loads(text)["value"]}
    assert set(secrets) == {"app-order-pfx", "web"}
    web = secrets["web"]
    assert web["type"] == "Microsoft.KeyVault/vaults/secrets" and web["id"] == f"{vault_id}/secrets/web"
    assert web["properties"]["contentType"] == "application/x-pkcs12"
    assert web["properties"]["attributes"]["exp"] == 1750000000 + 86400 * 90
    assert "value" not in web["properties"]


async def test_a_query_runs_once_and_its_pages_read_the_kept_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[str] = []
    real_run = ResourceTable.run

    def counted(self: ResourceTable, kql: str, subscriptions: list[str]) -> Any:
        runs.append(kql)
        return real_run(self, kql, subscriptions)

    monkeypatch.setattr(ResourceTable, "run", counted)
    with _serve(tmp_path, arm=_sites(SUB1, 25)) as endpoints:
        body: dict[str, Any] = {"subscriptions": [SUB1], "query": "Resources | project id | order by id asc",
                                "options": {"$top": 10}}
        seen: list[str] = []
        async with azure(endpoints) as factory:
            auth = await bearer(factory, ARM_SCOPE)
            while True:
                _, _, text = await fetch(factory.session, "POST", ARG, headers=auth, json_body=body)
                answer = json.loads(text)
                seen += [r["id"] for r in answer["data"]]
                if "$skipToken" not in answer:
                    break
                body["options"] = {"$top": 10, "$skipToken": answer["$skipToken"]}
    assert len(seen) == len(set(seen)) == 25
    assert len(runs) == 1
