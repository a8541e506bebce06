"""faults.json on the HTTPS side: each kind fires as described, and stops after `times`."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest
from azure.mgmt.web.aio import WebSiteManagementClient
from https_support import SUB1, SUB2, azure, bearer, bundle, fetch, resource, write_estate

from auditor.emulator import Emulator, EmulatorEndpoints

ARM = "https://management.azure.com"
NAMES = ("gone404", "throttled429", "err500", "err503", "slow", "garbled", "retried", "plain")
FAULTS = [
    {"service": "arm", "match": f"/subscriptions/{SUB2}/", "status": 403, "times": 1},
    {"service": "arm", "match": "/sites/gone404", "status": 404, "times": 1},
    {"service": "arm", "match": "throttled429", "status": 429, "retry_after": 7, "times": 1},
    {"service": "arm", "match": "err500", "status": 500, "times": 1},
    {"service": "arm", "match": "err503", "status": 503, "times": 1},
    {"service": "arm", "match": "/sites/slow", "status": "timeout", "times": 1},
    {"service": "arm", "match": "garbled", "status": "malformed", "times": 1},
    {"service": "arm", "match": "retried", "status": 429, "retry_after": 0.2, "times": 2},
    {"service": "keyvault", "match": "kv-locked", "status": 403, "times": 2},
    {"service": "arg", "match": "arg-throttle", "status": 429, "retry_after": 3, "times": 1},
]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    arm = [resource(SUB1, "rg", "Microsoft.Web/sites", n, properties={}) for n in NAMES]
    arm += [resource(SUB2, "rg", "Microsoft.Web/sites", "elsewhere", properties={}),
            resource(SUB1, "rg", "Microsoft.KeyVault/vaults", "kv-locked",
                     properties={"vaultUri": "https://kv-locked.vault.azure.net/"})]
    root = write_estate(tmp_path_factory.mktemp("faults"), arm=arm, subscriptions=(SUB1, SUB2), faults=FAULTS,
                        keyvault={"kv-locked": {"c1": [bundle("kv-locked", "c1", "v1", 1_650_000_000)]}})
    emu = Emulator(root)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def endpoints(emulator: Emulator) -> EmulatorEndpoints:
    assert emulator.endpoints is not None
    return emulator.endpoints


def _site(name: str, sub: str = SUB1) -> str:
    return f"{ARM}/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Web/sites/{name}?api-version=2024-11-01"


async def _twice(endpoints: EmulatorEndpoints, url: str) -> tuple[tuple[int, dict[str, str], str], int]:
    """The first answer in full, and the status of the same request repeated."""
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        first = await fetch(factory.session, "GET", url, headers=auth)
        second = await fetch(factory.session, "GET", url, headers=auth)
    return first, second[0]


@pytest.mark.parametrize(("name", "status", "code"), [
    ("gone404", 404, "ResourceNotFound"), ("err500", 500, "InternalServerError"),
    ("err503", 503, "ServiceUnavailable"), ("throttled429", 429, "SubscriptionRequestsThrottled"),
])
async def test_arm_status_faults_fire_once(endpoints: EmulatorEndpoints, name: str, status: int, code: str) -> None:
    (first_status, headers, body), second = await _twice(endpoints, _site(name))
    assert (first_status, json.loads(body)["error"]["code"]) == (status, code)
    assert second == 200
    if status == 429:
        assert headers["Retry-After"] == "7"
        assert headers["x-ms-ratelimit-remaining-subscription-reads"] == "0"


async def test_subscription_scoped_403(endpoints: EmulatorEndpoints) -> None:
    (status, _, body), second = await _twice(endpoints, _site("elsewhere", SUB2))
    assert (status, json.loads(body)["error"]["code"]) == (403, "AuthorizationFailed")
    assert second == 200


async def test_malformed_is_200_with_broken_json(endpoints: EmulatorEndpoints) -> None:
    (status, _, body), second = await _twice(endpoints, _site("garbled"))
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert second == 200


async def test_timeout_holds_past_the_client_timeout(emulator: Emulator, endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await fetch(factory.session, "GET", _site("slow"), headers=auth, timeout=0.5)
        assert time.monotonic() - started < 5
        status, _, _ = await fetch(factory.session, "GET", _site("slow"), headers=auth)
    assert status == 200


async def test_sdk_retry_honours_retry_after(emulator: Emulator, endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints, retries=3) as factory, factory.mgmt(WebSiteManagementClient, SUB1) as web:
        site = await web.web_apps.get("rg", "retried")
    assert site.name == "retried"
    assert [e.status for e in emulator.log.entries("arm") if "/sites/retried" in e.key] == \
        ["fault:429", "fault:429", "200"]


async def test_keyvault_403_has_key_vault_shape_and_stops(endpoints: EmulatorEndpoints) -> None:
    url = "https://kv-locked.vault.azure.net/certificates?api-version=7.6"
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://vault.azure.net/.default")
        answers = [await fetch(factory.session, "GET", url, headers=auth) for _ in range(3)]
    assert [a[0] for a in answers] == [403, 403, 200]
    error = json.loads(answers[0][2])["error"]
    assert (error["code"], error["innererror"]["code"]) == ("Forbidden", "ForbiddenByPolicy")


async def test_resource_graph_429_carries_quota_headers(endpoints: EmulatorEndpoints) -> None:
    url = f"{ARM}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01"
    query = {"subscriptions": [SUB1], "query": "resources | where name != 'arg-throttle' | project id"}
    async with azure(endpoints) as factory:
        auth = await bearer(factory, "https://management.azure.com/.default")
        status, headers, body = await fetch(factory.session, "POST", url, headers=auth, json_body=query)
        again, _, _ = await fetch(factory.session, "POST", url, headers=auth, json_body=query)
    assert (status, json.loads(body)["error"]["code"]) == (429, "RateLimiting")
    assert headers["Retry-After"] == "3" and headers["x-ms-user-quota-remaining"] == "0"
    assert again == 200
