"""POST a JSON payload with a timeout and a few retries that honour Retry-After.

Errors come back as short descriptions that never contain the URL: webhook URLs are secrets.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp

RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


def retry_after_seconds(value: str | None, fallback: float, cap: float) -> float:
    """Retry-After as seconds or an HTTP date, never more than `cap`."""
    if not value:
        return min(fallback, cap)
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = fallback
    return max(0.0, min(seconds, cap))


async def post_json(session: aiohttp.ClientSession, url: str, payload: dict[str, Any], *, timeout: float,
                    attempts: int = 3, max_wait: float = 3.0) -> str | None:
    """None on success, else why it failed (without the URL)."""
    problem = "not sent"
    for attempt in range(attempts):
        wait = 0.5 * 2 ** attempt
        try:
            async with session.post(url, json=payload, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
                if response.status < 300:
                    return None
                problem = f"HTTP {response.status}"
                if response.status not in RETRY_STATUSES:
                    return problem
                wait = retry_after_seconds(response.headers.get("Retry-After"), wait, max_wait)
        except TimeoutError:
            problem = f"timed out after {timeout:g} s"
        except aiohttp.ClientConnectorError:
            problem = "cannot connect"
        except aiohttp.InvalidURL:
            return "invalid URL"
        except aiohttp.ClientError as exc:
            problem = f"connection failed ({type(exc).__name__})"
        if attempt + 1 < attempts:
            await asyncio.sleep(min(wait, max_wait))
    return problem
