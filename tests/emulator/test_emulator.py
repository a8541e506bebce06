"""The Emulator as a whole: endpoints, certificate, latency, Graph, start and stop."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import time
from pathlib import Path

import pytest
from https_support import SUB1, TENANT, azure, bearer, fetch, resource, write_estate

from auditor.emulator import Emulator
from auditor.errors import EstateError


def _handshake(port: int, ca_file: Path, server_name: str) -> None:
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname=server_name):
        pass


def test_endpoints_and_network(tmp_path: Path) -> None:
    with Emulator(write_estate(tmp_path / "estate"), workdir=tmp_path / "work") as ep:
        network = ep.network()
        assert (ep.tenant_id, ep.subscriptions) == (TENANT, (SUB1,))
        assert ep.as_of.isoformat() == "2025-09-10T00:00:00+00:00"
        assert ep.ca_file.parent == tmp_path / "work" and ep.ca_file.read_text().startswith("-----BEGIN CERTIFICATE")
        assert network.emulated and (network.https_host, network.https_port) == ("127.0.0.1", ep.https_port)
        assert (network.dns_nameservers, network.dns_port) == (("127.0.0.1",), ep.dns_port)
        assert (network.tls_host, network.tls_port) == ("127.0.0.1", ep.tls_port)
        assert (network.client_id, network.client_secret) == (ep.client_id, ep.client_secret)
        assert ep.client_secret not in repr(ep)
        for name in ("management.azure.com", "login.microsoftonline.com", "graph.microsoft.com",
                     "kv-anything.vault.azure.net", "localhost", "127.0.0.1"):
            _handshake(ep.https_port, ep.ca_file, name)
        with pytest.raises(ssl.SSLCertVerificationError):
            _handshake(ep.https_port, ep.ca_file, "www.example.com")
        port = ep.https_port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_bad_estate_is_one_estate_error(tmp_path: Path) -> None:
    with pytest.raises(EstateError, match="estate directory not found"):
        Emulator(tmp_path / "missing").start()
    root = write_estate(tmp_path / "bad")
    (root / "estate.json").write_text('{"format": "something-else"}')
    with pytest.raises(EstateError, match="format must be"):
        Emulator(root).start()


def test_unknown_latency_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown latency keys"):
        Emulator(tmp_path, latency={"armm": 1.0})


async def test_latency_is_added_per_request(tmp_path: Path) -> None:
    site = resource(SUB1, "rg", "Microsoft.Web/sites", "app", properties={})
    emulator = Emulator(write_estate(tmp_path, arm=[site]), latency={"arm": 0.3})
    with emulator as ep:
        async with azure(ep) as factory:
            auth = await bearer(factory, "https://management.azure.com/.default")
            started = time.monotonic()
            status, _, _ = await fetch(factory.session, "GET", f"https://management.azure.com{site['id']}?api-version=1",
                                       headers=auth)
            elapsed = time.monotonic() - started
    assert status == 200 and elapsed >= 0.3
    assert {e.service for e in emulator.log.entries()} == {"token", "arm"}


async def test_graph_applications_page(tmp_path: Path) -> None:
    apps = [{"id": f"0000000{i}-app", "type": "Microsoft.Graph/applications", "appId": f"app-{i}",
             "displayName": f"App {i}", "web": {"redirectUris": [f"https://login{i}.contoso.com/cb"]}} for i in range(5)]
    with Emulator(write_estate(tmp_path, arm=apps)) as ep:
        async with azure(ep) as factory:
            auth = await bearer(factory, "https://graph.microsoft.com/.default")
            url: str | None = "https://graph.microsoft.com/v1.0/applications?$top=2"
            seen = []
            while url:
                status, _, body = await fetch(factory.session, "GET", url, headers=auth)
                assert status == 200
                page = json.loads(body)
                seen += page["value"]
                url = page.get("@odata.nextLink")
            status, _, _ = await fetch(factory.session, "GET", "https://graph.microsoft.com/v1.0/applications")
    assert [a["appId"] for a in seen] == [f"app-{i}" for i in range(5)]
    assert "type" not in seen[0] and seen[0]["web"]["redirectUris"] == ["https://login0.contoso.com/cb"]
    assert status == 401


def test_stop_releases_a_held_timeout_quickly(tmp_path: Path) -> None:
    site = resource(SUB1, "rg", "Microsoft.Web/sites", "app", properties={})
    root = write_estate(tmp_path, arm=[site], faults=[{"service": "arm", "match": "/sites/app", "status": "timeout"}])
    emulator = Emulator(root)
    ep = emulator.start()

    async def hold() -> None:
        async with azure(ep) as factory:
            auth = await bearer(factory, "https://management.azure.com/.default")
            with pytest.raises(asyncio.TimeoutError):
                await fetch(factory.session, "GET", f"https://management.azure.com{site['id']}?api-version=1",
                            headers=auth, timeout=0.3)

    asyncio.run(hold())
    started = time.monotonic()
    emulator.stop()
    assert time.monotonic() - started < 5
    emulator.stop()   # a second stop is harmless


async def test_graph_service_principals_page_as_applications_do(tmp_path: Path) -> None:
    """GET /v1.0/servicePrincipals pages with @odata.nextLink and honours $select, as Graph does
    (learn.microsoft.com/en-us/graph/api/serviceprincipal-list, learn.microsoft.com/en-us/graph/paging)."""
    sps = [{"id": f"0000000{i}-sp", "type": "Microsoft.Graph/servicePrincipals", "appId": f"sp-{i}",
            "displayName": f"SAML app {i}", "servicePrincipalType": "Application",
            "replyUrls": [f"https://sso{i}.contoso.com/saml/acs"]} for i in range(3)]
    app = {"id": "00000009-app", "type": "microsoft.graph/applications", "appId": "app-9", "displayName": "App"}
    with Emulator(write_estate(tmp_path, arm=[*sps, app])) as ep:
        async with azure(ep) as factory:
            auth = await bearer(factory, "https://graph.microsoft.com/.default")
            url: str | None = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2&$select=appId,replyUrls"
            seen = []
            while url:
                status, _, body = await fetch(factory.session, "GET", url, headers=auth)
                assert status == 200
                page = json.loads(body)
                assert page["@odata.context"].endswith("$metadata#servicePrincipals")
                seen += page["value"]
                url = page.get("@odata.nextLink")
    assert [s["appId"] for s in seen] == ["sp-0", "sp-1", "sp-2"]        # not the application
    assert set(seen[0]) == {"id", "appId", "replyUrls"}
