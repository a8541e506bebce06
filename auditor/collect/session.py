"""The HTTP session and credential every Azure SDK client shares.

Estate mode keeps Azure's URLs and host names untouched: only this layer differs.
Its resolver answers every host with the emulator's address and port, and its SSL
context trusts the emulator's throwaway CA, so the SDKs, azure-identity and the
Key Vault challenge run exactly as they would against Azure.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.pipeline.transport import AioHttpTransport

from auditor.cloud import CloudEndpoints
from auditor.collect.bounded import BoundedTransport
from auditor.collect.context import Network


class PinnedResolver(AbstractResolver):
    """Resolves every host name to one address and port (the emulator's)."""

    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        return [{
            "hostname": host, "host": self._host, "port": self._port,
            "family": socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST,
        }]

    async def close(self) -> None:
        return None


def ssl_context(network: Network) -> ssl.SSLContext:
    """The trust for HTTPS calls. Loading the system's trust store costs tens of milliseconds
    of CPU, so the per-host sessions of a run share one (ClientFactory.host_session): an
    SSLContext may serve any number of connections."""
    context = ssl.create_default_context()
    if network.ca_file is not None:
        context.load_verify_locations(cafile=str(network.ca_file))
    return context


@asynccontextmanager
async def open_session(network: Network, *, limit: int = 32,
                       trust: ssl.SSLContext | None = None) -> AsyncIterator[aiohttp.ClientSession]:
    """An aiohttp session; `limit` bounds connections in flight, `trust` is the run's
    ssl_context (a fresh one when None)."""
    resolver = None
    if network.https_host is not None:
        resolver = PinnedResolver(network.https_host, network.https_port or 443)
    connector = aiohttp.TCPConnector(limit=limit, ssl=trust if trust is not None else ssl_context(network), resolver=resolver)
    session = aiohttp.ClientSession(connector=connector, trust_env=not network.emulated)
    try:
        yield session
    finally:
        await session.close()


def transport(session: aiohttp.ClientSession, request_timeout: float = 30.0) -> AioHttpTransport:
    """A transport over the shared session; the session outlives every client. Every
    request on it is bounded by `request_timeout` (connect, read and wall clock)."""
    return BoundedTransport(session=session, session_owner=False, request_timeout=request_timeout)


def make_credential(network: Network, cloud: CloudEndpoints, tenant_id: str | None,
                    session: aiohttp.ClientSession, *, request_timeout: float = 30.0) -> AsyncTokenCredential:
    """Estate mode: a real azure-identity client-secret credential against the emulator's
    token endpoint. Real mode: DefaultAzureCredential (managed identity, CLI, environment)."""
    if network.emulated:
        from azure.identity.aio import ClientSecretCredential

        return ClientSecretCredential(
            tenant_id or "common", network.client_id or "", network.client_secret or "",
            authority=cloud.login, transport=transport(session, request_timeout), disable_instance_discovery=True,
        )
    from azure.identity.aio import DefaultAzureCredential

    kwargs: dict[str, Any] = {"authority": cloud.login}
    return DefaultAzureCredential(**kwargs)
