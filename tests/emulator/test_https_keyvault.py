"""Key Vault data plane through azure-keyvault-certificates, its 401 challenge included."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from azure.core.exceptions import ResourceNotFoundError
from https_support import SUB1, TENANT, azure, bearer, bundle, fetch, resource, write_estate

from auditor.emulator import Emulator, EmulatorEndpoints

CERTS = 30


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    vaults = [resource(SUB1, "rg-kv", "Microsoft.KeyVault/vaults", name,
                       properties={"vaultUri": f"https://{name}.vault.azure.net/"}) for name in ("kv-main", "kv-empty")]
    keyvault = {
        "kv-main": {
            "web-tls": [bundle("kv-main", "web-tls", "v2new", 1_700_000_000),
                        bundle("kv-main", "web-tls", "v1old", 1_600_000_000)],
            **{f"bulk{i:02d}": [bundle("kv-main", f"bulk{i:02d}", "only", 1_650_000_000 + i)] for i in range(CERTS)},
            # recorded from another vault host: ids move onto the vault actually asked
            "moved": [bundle("kv-main", "moved", "m1", 1_650_000_000, host="kv-old.vault.azure.net")],
            "nopolicy": [bundle("kv-main", "nopolicy", "n1", 1_650_000_000, policy=False)],
        },
    }
    root = write_estate(tmp_path_factory.mktemp("kv"), arm=vaults, keyvault=keyvault)
    emu = Emulator(root)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def endpoints(emulator: Emulator) -> EmulatorEndpoints:
    assert emulator.endpoints is not None
    return emulator.endpoints


async def test_request_without_token_gets_the_challenge(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        status, headers, body = await fetch(
            factory.session, "GET", "https://kv-main.vault.azure.net/certificates?api-version=7.6")
    assert status == 401
    assert headers["WWW-Authenticate"] == (
        f'Bearer authorization="https://login.microsoftonline.com/{TENANT}", resource="https://vault.azure.net"')
    assert json.loads(body)["error"]["code"] == "Unauthorized"


async def test_client_lists_and_gets_through_the_challenge(emulator: Emulator, endpoints: EmulatorEndpoints) -> None:
    emulator.log.clear()
    async with azure(endpoints) as factory, factory.certificates("https://kv-main.vault.azure.net") as client:
        listed = [p async for p in client.list_properties_of_certificates()]
        current = await client.get_certificate("WEB-TLS")
        older = await client.get_certificate_version("web-tls", "v1old")
        versions = [v.version async for v in client.list_properties_of_certificate_versions("web-tls")]
        policy = await client.get_certificate_policy("web-tls")
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.get_certificate("absent")
    assert len(listed) == CERTS + 3
    assert all(p.version is None for p in listed)   # list items carry no version, as Key Vault's
    assert current.properties.version == "v2new"
    assert current.id == "https://kv-main.vault.azure.net/certificates/web-tls/v2new"
    assert older.properties.created_on.year == 2020
    assert sorted(versions) == ["v1old", "v2new"]
    assert policy.issuer_name == "Self"
    assert caught.value.error.code == "CertificateNotFound"
    statuses = [e.status for e in emulator.log.entries("keyvault")]
    assert statuses[0] == "401" and statuses.count("401") == 1
    list_pages = [e for e in emulator.log.entries("keyvault") if e.key.split("?")[0].endswith("/certificates")]
    assert [e.status for e in list_pages] == ["401", "200", "200"]   # 33 certificates, 25 a page


async def test_ids_follow_the_vault_asked(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory, factory.certificates("https://kv-main.vault.azure.net") as client:
        moved = await client.get_certificate("moved")
        with pytest.raises(ResourceNotFoundError):
            await client.get_certificate_policy("nopolicy")
    assert moved.id == "https://kv-main.vault.azure.net/certificates/moved/m1"
    assert moved.secret_id == "https://kv-main.vault.azure.net/secrets/moved/m1"


async def test_vault_without_folder_lists_nothing(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory, factory.certificates("https://kv-empty.vault.azure.net") as client:
        assert [p async for p in client.list_properties_of_certificates()] == []


async def test_token_for_another_audience_is_refused(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        arm_token = await bearer(factory, "https://management.azure.com/.default")
        status, headers, _ = await fetch(factory.session, "GET",
                                         "https://kv-main.vault.azure.net/certificates?api-version=7.6",
                                         headers=arm_token)
        assert status == 401 and "WWW-Authenticate" in headers
        vault_token = await bearer(factory, "https://vault.azure.net/.default")
        status, _, body = await fetch(factory.session, "GET",
                                      "https://kv-main.vault.azure.net/certificates", headers=vault_token)
        assert (status, json.loads(body)["error"]["code"]) == (400, "BadParameter")
