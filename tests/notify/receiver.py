"""A local HTTP receiver standing in for Teams, Slack and a JSON webhook: records what it is sent."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Receiver:
    base: str
    received: dict[str, list[Any]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver(base="")

    async def handle(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        state.hits[name] = state.hits.get(name, 0) + 1
        body = await request.json()
        if name == "fail":
            return web.Response(status=500)
        if name == "forbidden":
            return web.Response(status=403)
        if name == "slow":
            await asyncio.sleep(1)
        if name == "throttled" and state.hits[name] == 1:
            return web.Response(status=429, headers={"Retry-After": "0.2"})
        state.received.setdefault(name, []).append(body)
        return web.Response(status=202 if name.startswith("teams") else 200, text="ok")

    app = web.Application()
    app.router.add_post("/{name}", handle)
    runner = web.AppRunner(app, access_log=None)   # the receiver's own log would name its address
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.base = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        await runner.cleanup()


def refused_url() -> str:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
