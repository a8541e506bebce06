"""The token endpoint: the real azure-identity credential gets a token; nobody else does."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity.aio import ClientSecretCredential
from https_support import TENANT, azure, fetch, write_estate

from auditor.collect.session import transport
from auditor.emulator import Emulator, EmulatorEndpoints

TOKEN_URL = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorEndpoints]:
    with Emulator(write_estate(tmp_path_factory.mktemp("token"))) as ep:
        yield ep


async def test_client_secret_credential_gets_a_token(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        token = await factory.credential.get_token("https://management.azure.com/.default")
    assert token.token
    assert token.expires_on > 0


async def test_discovering_credential_gets_a_token(endpoints: EmulatorEndpoints) -> None:
    """Without disable_instance_discovery, azure-identity may ask discovery endpoints first."""
    async with azure(endpoints) as factory:
        credential = ClientSecretCredential(TENANT, endpoints.client_id, endpoints.client_secret,
                                            authority="login.microsoftonline.com",
                                            transport=transport(factory.session))
        async with credential:
            token = await credential.get_token("https://vault.azure.net/.default")
    assert token.token


async def test_wrong_secret_is_invalid_client(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        credential = ClientSecretCredential(TENANT, endpoints.client_id, "not-the-secret",
                                            authority="login.microsoftonline.com",
                                            transport=transport(factory.session), disable_instance_discovery=True)
        async with credential:
            with pytest.raises(ClientAuthenticationError) as caught:
                await credential.get_token("https://management.azure.com/.default")
    assert "invalid_client" in str(caught.value)


async def test_token_response_shape(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as factory:
        async with factory.session.post(TOKEN_URL, data={
                "grant_type": "client_credentials", "client_id": endpoints.client_id,
                "client_secret": endpoints.client_secret, "scope": "https://graph.microsoft.com/.default"}) as r:
            body = await r.json()
        status, _, other = await fetch(factory.session, "POST",
                                       "https://login.microsoftonline.com/another-tenant/oauth2/v2.0/token")
    assert set(body) == {"token_type", "expires_in", "ext_expires_in", "access_token"}
    assert (body["token_type"], body["expires_in"], body["ext_expires_in"]) == ("Bearer", 3599, 3599)
    assert status == 400 and json.loads(other)["error"] == "invalid_tenant"
