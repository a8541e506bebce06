"""Send the run's notification to every configured webhook. A failing webhook is a warning, never
an exception that loses the run, and no URL is ever printed, logged or returned."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp

from auditor.config import Config, Webhook
from auditor.history.model import RunDiff
from auditor.model.report import Report
from auditor.notify.post import post_json
from auditor.notify.selection import Notification, select
from auditor.notify.slack import slack_payload
from auditor.notify.teams import teams_payload
from auditor.notify.webhook import json_payload

PAYLOADS: dict[str, Callable[[Notification], dict[str, Any]]] = {
    "teams": teams_payload, "slack": slack_payload, "json": json_payload}


def _url(hook: Webhook, env: Mapping[str, str]) -> str | None:
    if hook.url:
        return hook.url
    return env.get(hook.url_env) if hook.url_env else None


async def send(report: Report, diff: RunDiff | None, config: Config, *, session: aiohttp.ClientSession | None = None,
               timeout: float = 10.0, env: Mapping[str, str] | None = None, max_wait: float = 3.0) -> list[str]:
    """Post to every webhook in config.notify; returns one warning per webhook that failed."""
    note = select(report, diff, config.notify)
    if note is None or not config.notify.webhooks:
        return []
    environ = os.environ if env is None else env
    if session is None:
        async with aiohttp.ClientSession() as own:
            return await _send_all(own, note, config, environ, timeout, max_wait)
    return await _send_all(session, note, config, environ, timeout, max_wait)


async def _send_all(session: aiohttp.ClientSession, note: Notification, config: Config,
                    env: Mapping[str, str], timeout: float, max_wait: float) -> list[str]:
    async def one(number: int, hook: Webhook) -> str | None:
        name = f"{hook.kind} webhook #{number}"
        url = _url(hook, env)
        if not url:
            return f"{name} not sent: environment variable {hook.url_env} is not set"
        problem = await post_json(session, url, PAYLOADS[hook.kind](note), timeout=timeout, max_wait=max_wait)
        return f"{name} failed: {problem}" if problem else None

    results = await asyncio.gather(*(one(i, h) for i, h in enumerate(config.notify.webhooks, start=1)))
    return [r for r in results if r]


def send_sync(report: Report, diff: RunDiff | None, config: Config, *, timeout: float = 10.0,
              env: Mapping[str, str] | None = None) -> list[str]:
    """`send` for callers without an event loop (the CLI)."""
    return asyncio.run(send(report, diff, config, timeout=timeout, env=env))
