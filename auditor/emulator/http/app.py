"""One HTTPS port for every Azure API the audit calls, routed by the Host header, and the
thread that serves it on its own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from auditor.emulator.http.arm import handle_arm
from auditor.emulator.http.arm_index import ArmIndex
from auditor.emulator.http.errors import LOG_STATUS, DropConnection, error_response
from auditor.emulator.http.graph import applications, handle_graph
from auditor.emulator.http.keyvault import VaultStore, handle_keyvault
from auditor.emulator.http.loganalytics import LogStore, handle_log_analytics
from auditor.emulator.http.name_availability import TakenNames
from auditor.emulator.http.resource_graph import ResourceTable, ResultStore, handle_resource_graph, is_indexed
from auditor.emulator.http.state import HttpState
from auditor.emulator.http.throttle import QuotaWindow, TokenBuckets
from auditor.emulator.http.token import ClientCredentials, handle_token
from auditor.emulator.http.vault_access import derived_secrets
from auditor.emulator.memory_pem import load_chain

_ARG_PATH = "/providers/microsoft.resourcegraph/resources"
_START_TIMEOUT = 30.0

Handler = Callable[[web.Request], Awaitable[web.Response]]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def build_app(state: HttpState, client: ClientCredentials) -> web.Application:
    """The aiohttp application; the estate is indexed once, here, and the DuckDB table
    closed when the application shuts down."""
    estate = state.estate
    # GET /subscriptions lists only those the identity holds a role on; ARM also lists the
    # backing secrets of the estate's Key Vault certificates.
    visible = [s for s in estate.subscriptions if str(s["subscriptionId"]).lower() not in estate.hidden_subscription_ids]
    index = ArmIndex(estate.arm + derived_secrets(estate), visible, estate.tenant_id)
    containers = [{**s, "type": "microsoft.resources/subscriptions"} for s in index.subscriptions] + [
        g for s in index.subscriptions for g in index.list(f"/subscriptions/{s['subscriptionId']}/resourcegroups").items]
    table = ResourceTable((o for o in state.estate.arm if is_indexed(o)), containers, state.estate.tenant_id)
    quota = QuotaWindow(estate.limits.arg_queries_per_5s)
    results = ResultStore()
    buckets = TokenBuckets(estate.limits.arm_reads_bucket, estate.limits.arm_reads_per_second)
    vaults = VaultStore(state.estate, state.cloud.keyvault_suffix)
    apps = applications(state)
    logs = LogStore(state.estate.logs_dir)
    logs_host = _host(state.cloud.log_analytics)
    taken = TakenNames(state.estate.arm, state.estate.names_taken_elsewhere)
    arm_host, login_host, graph_host = _host(state.cloud.arm), _host(state.cloud.login), _host(state.cloud.graph)
    vault_suffix = "." + state.cloud.keyvault_suffix.lower()

    def route(request: web.Request) -> tuple[str, Handler]:
        host = request.host.rsplit(":", 1)[0].lower() if not request.host.startswith("[") else request.host
        if host in (arm_host, "127.0.0.1", "localhost"):
            if request.path.rstrip("/").lower() == _ARG_PATH:
                return "arg", lambda r: handle_resource_graph(r, state, table, quota, results)
            return "arm", lambda r: handle_arm(r, state, index, taken, buckets)
        if host.endswith(vault_suffix):
            return "keyvault", lambda r: handle_keyvault(r, state, vaults)
        if host == login_host:
            return "token", lambda r: handle_token(r, state, client)
        if host == graph_host:
            return "graph", lambda r: handle_graph(r, state, apps)
        if host == logs_host:
            return "logs", lambda r: handle_log_analytics(r, state, logs)
        return "unknown", _unknown_host

    async def dispatch(request: web.Request) -> web.StreamResponse:
        service, handler = route(request)
        delay = state.delay(service)
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            response = await handler(request)
        except DropConnection as drop:
            state.log.add(service, f"{request.method} {request.host}{request.path_qs}", f"fault:{drop}")
            _drop(request, rst=drop.rst)
            return web.Response(status=500)   # never delivered: the connection is gone
        status = response.get(LOG_STATUS, str(response.status))
        state.log.add(service, f"{request.method} {request.host}{request.path_qs}", status)
        return response

    async def close_table(_: web.Application) -> None:
        table.close()
        logs.close()

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", dispatch)
    app.on_cleanup.append(close_table)
    return app


def _drop(request: web.Request, *, rst: bool) -> None:
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if rst and sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def _unknown_host(request: web.Request) -> web.Response:
    return error_response("arm", 404, f"No Azure service answers for host {request.host}.", code="UnknownHost")


class HttpsServer:
    """Serves `build_app` over TLS on 127.0.0.1, in a background thread with its own loop."""

    def __init__(self, state: HttpState, client: ClientCredentials, chain_pem: bytes, key_pem: bytes) -> None:
        self._state = state
        self._client = client
        self._ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        load_chain(self._ssl, chain_pem, key_pem)   # the key never touches the disk
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> int:
        app = build_app(self._state, self._client)
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="emulator-https", daemon=True)
        self._thread.start()
        try:
            self.port = asyncio.run_coroutine_threadsafe(self._serve(app), loop).result(_START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self.port

    async def _serve(self, app: web.Application) -> int:
        self._state.stopping = asyncio.Event()
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self._ssl, backlog=256)
        await site.start()
        self._runner = runner
        return int(runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self._state.stopping is not None:
            self._state.stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(_START_TIMEOUT)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(_START_TIMEOUT)
        loop.close()
        self._loop = self._thread = self._runner = None
