"""Time bounds on every HTTP request the Azure SDKs make.

- `BoundedTransport`: the shared aiohttp transport with the configured connect and read
  timeouts (a client's own `read_timeout` kwarg is ignored once a transport is given) and a
  wall-clock cap on each request, so a server that trickles bytes cannot hold one either.
  A JSON answer that does not parse is asked again once before it is believed.
- `BoundedRetryPolicy`: azure-core's retry policy, except that a `Retry-After` longer than
  `collect.max_retry_wait_seconds` is not waited out: the call fails at once with
  `RetryAfterTooLong`, which becomes a `throttled` gap quoting the asked wait.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from azure.core.exceptions import HttpResponseError, ServiceResponseTimeoutError
from azure.core.pipeline import PipelineResponse
from azure.core.pipeline.policies import AsyncRetryPolicy
from azure.core.pipeline.transport import AioHttpTransport


class RetryAfterTooLong(HttpResponseError):
    """The service asked to wait longer than the run may wait for one request."""

    def __init__(self, asked: float, cap: float, response: Any) -> None:
        super().__init__(message=f"asked to wait {asked:g} s (Retry-After), more than "
                                 f"collect.max_retry_wait_seconds = {cap:g}", response=response)
        self.asked = asked
        self.cap = cap
        self.detail = f"Retry-After {asked:g} s exceeds collect.max_retry_wait_seconds = {cap:g}; not waited"


class RequestTimedOut(ServiceResponseTimeoutError, TimeoutError):
    """A request past its wall-clock cap: azure-core retries it as a read timeout, and code
    that catches TimeoutError (Resource Graph paging) sees it as one."""


class BoundedRetryPolicy(AsyncRetryPolicy):  # type: ignore[type-arg]
    def __init__(self, *, max_wait: float, **kwargs: Any) -> None:
        super().__init__(retry_backoff_max=max_wait, **kwargs)
        self.max_wait = max_wait

    async def _sleep_for_retry(self, response: PipelineResponse[Any, Any], transport: Any) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after and retry_after > self.max_wait:
            raise RetryAfterTooLong(retry_after, self.max_wait, response.http_response)
        if retry_after:
            await transport.sleep(retry_after)
            return True
        return False


class BoundedTransport(AioHttpTransport):  # type: ignore[misc]
    def __init__(self, *, request_timeout: float, **kwargs: Any) -> None:
        super().__init__(connection_timeout=request_timeout, read_timeout=request_timeout, **kwargs)
        self.request_timeout = request_timeout

    async def send(self, request: Any, **config: Any) -> Any:
        response = await self._send_once(request, **config)
        if not config.get("stream", False) and _malformed_json(response):
            # One transient malformed answer (a truncated body, a proxy's error page) is asked
            # again once; if it persists, the SDK's parse error becomes a `malformed` gap.
            await asyncio.sleep(min(MALFORMED_RETRY_SECONDS, self.request_timeout))
            response = await self._send_once(request, **config)
        return response

    async def _send_once(self, request: Any, **config: Any) -> Any:
        try:
            return await asyncio.wait_for(super().send(request, **config), self.request_timeout)
        except TimeoutError:
            # A read timeout to azure-core: retried like one, then a `timeout` gap.
            raise RequestTimedOut(
                f"no complete answer within {self.request_timeout:g} s "
                "(collect.request_timeout_seconds)") from None


MALFORMED_RETRY_SECONDS = 0.5


def _malformed_json(response: Any) -> bool:
    """A successful answer that says it is JSON but does not parse."""
    status = getattr(response, "status_code", 0) or 0
    if not 200 <= status < 300:
        return False
    if "json" not in str(response.headers.get("Content-Type", "")).lower():
        return False
    try:
        body = response.body()
    except (AttributeError, ValueError):
        return False
    if not body:
        return False
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return True
    return False
