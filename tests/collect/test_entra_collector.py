import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trustme
from aiohttp import web
from azure.core.credentials import AccessToken
from service_harness import run_collector, write_estate

from auditor.cloud import AZURE_PUBLIC
from auditor.collect.base import CollectRun, Partial
from auditor.collect.clients import ClientFactory
from auditor.collect.context import CollectContext, Network
from auditor.collect.entra import COLLECTOR
from auditor.collect.session import open_session
from auditor.config import CollectConfig, default_config
from auditor.model import GapReason, ReferenceKind, Source


def application(i: int) -> dict[str, Any]:
    return {"id": f"00000000-0000-0000-0000-{i:012d}", "type": "microsoft.graph/applications",
            "appId": f"11111111-0000-0000-0000-{i:012d}", "displayName": f"app {i}",
            "web": {"redirectUris": [f"https://app{i}.contoso-legacy.net/signin-oidc"], "logoutUrl": None},
            "spa": {"redirectUris": []}, "publicClient": {"redirectUris": ["http://localhost"]},
            "passwordCredentials": [{"hint": "abc"}]}


async def test_every_page_of_applications_through_the_emulator(tmp_path: Path) -> None:
    apps = [application(i) for i in range(150)]      # the emulator pages Graph at 100
    partial = await run_collector(write_estate(tmp_path, apps), COLLECTOR)
    assert partial.gaps == []
    assert len(partial.references) == 150
    assert {r.kind for r in partial.references} == {ReferenceKind.ENTRA_REDIRECT_URI}
    ref = next(r for r in partial.references if r.hostname == "app149.contoso-legacy.net")
    assert ref.resource_id == "/applications/00000000-0000-0000-0000-000000000149"
    assert ref.where == "web.redirectUris[0]"


async def test_graph_off_reads_nothing(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, [application(1)]), COLLECTOR, graph=False)
    assert partial.references == [] and partial.gaps == []


class FixedToken:
    """Graph's token, for a Graph stand-in that does not check it."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("token", int(time.time()) + 3600)

    async def close(self) -> None:
        return None


@asynccontextmanager
async def graph_answering(tmp_path: Path, answers: list[web.Response]) -> AsyncIterator[CollectRun]:
    """A Graph on loopback HTTPS that gives `answers` in turn."""
    ca = trustme.CA()
    server_cert = ca.issue_cert("graph.microsoft.com")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.path_qs)
        return answers.pop(0)

    async def no_service_principals(request: web.Request) -> web.Response:
        return web.json_response({"value": []})

    app = web.Application()
    app.router.add_get("/v1.0/applications", handler)
    app.router.add_get("/v1.0/servicePrincipals", no_service_principals)
    runner = web.AppRunner(app)
    await runner.setup()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    network = Network(https_host="127.0.0.1", https_port=port, ca_file=ca_file)
    settings = CollectConfig(retries=1, max_retry_wait_seconds=0.1, request_timeout_seconds=5.0)
    try:
        async with open_session(network) as session:
            clients = ClientFactory(cloud=AZURE_PUBLIC, credential=FixedToken(), session=session, settings=settings)
            ctx = CollectContext(config=replace(default_config(), collect=settings), cloud=AZURE_PUBLIC,
                                 network=network, as_of=datetime.now(UTC))
            yield CollectRun(context=ctx, clients=clients, rows={}, limit=asyncio.Semaphore(2))
    finally:
        await runner.cleanup()


async def collect_with(tmp_path: Path, answers: list[web.Response]) -> Partial:
    async with graph_answering(tmp_path, answers) as run:
        return await COLLECTOR.collect(run)


async def test_forbidden_names_the_permission(tmp_path: Path) -> None:
    partial = await collect_with(tmp_path, [web.json_response({"error": {"code": "Authorization_RequestDenied"}},
                                                              status=403)])
    [gap] = partial.gaps
    assert (gap.source, gap.target, gap.reason) == (Source.GRAPH, "applications", GapReason.FORBIDDEN)
    assert "Application.Read.All" in gap.detail


async def test_throttled_then_answered(tmp_path: Path) -> None:
    partial = await collect_with(tmp_path, [
        web.json_response({}, status=429, headers={"Retry-After": "0"}),
        web.json_response({"value": [application(7)]}),
    ])
    assert partial.gaps == [] and [r.hostname for r in partial.references] == ["app7.contoso-legacy.net"]


async def test_second_page_broken_keeps_the_first_and_says_so(tmp_path: Path) -> None:
    partial = await collect_with(tmp_path, [
        web.json_response({"value": [application(1)],
                           "@odata.nextLink": "https://graph.microsoft.com/v1.0/applications?$skiptoken=x"}),
        web.Response(text="<html>gateway</html>", content_type="text/html"),
    ])
    [gap] = partial.gaps
    assert gap.reason is GapReason.MALFORMED and "after 1 applications" in gap.detail
    assert [r.hostname for r in partial.references] == ["app1.contoso-legacy.net"]


def service_principal(i: int, app_id: str | None = None) -> dict[str, Any]:
    """A SAML gallery app as Graph lists it (learn.microsoft.com/en-us/graph/api/resources/serviceprincipal)."""
    return {"id": f"22222222-0000-0000-0000-{i:012d}", "type": "microsoft.graph/servicePrincipals",
            "appId": app_id or f"33333333-0000-0000-0000-{i:012d}", "displayName": f"Mapiq {i}",
            "servicePrincipalType": "Application", "preferredSingleSignOnMode": "saml",
            "replyUrls": [f"https://sso{i}.contoso-legacy.net/saml2/acs"], "loginUrl": None,
            "logoutUrl": f"https://sso{i}.contoso-legacy.net/logout"}


async def test_service_principals_reply_urls_every_page(tmp_path: Path) -> None:
    sps = [service_principal(i) for i in range(120)]      # two pages
    own = application(1)
    mirror = service_principal(999, app_id=own["appId"]) | {"replyUrls": own["web"]["redirectUris"],
                                                            "logoutUrl": None}
    partial = await run_collector(write_estate(tmp_path, [*sps, own, mirror]), COLLECTOR)
    assert partial.gaps == []
    on_sps = [r for r in partial.references if r.resource_id.startswith("/servicePrincipals/")]
    assert len(on_sps) == 240                            # replyUrls and logoutUrl of each
    ref = next(r for r in on_sps if r.hostname == "sso119.contoso-legacy.net" and r.where == "replyUrls[0]")
    assert ref.resource_id == "/servicePrincipals/22222222-0000-0000-0000-000000000119"
    assert ref.kind is ReferenceKind.ENTRA_REDIRECT_URI and "Mapiq 119" in ref.detail
    # The tenant's own app's service principal mirrors its redirect URIs: named once, on the app.
    assert [r.resource_id for r in partial.references if r.hostname == "app1.contoso-legacy.net"] == [
        "/applications/00000000-0000-0000-0000-000000000001"]
