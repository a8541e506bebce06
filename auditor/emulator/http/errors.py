"""Error bodies in each service's own shape, and the faults of faults.json turned into responses."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

from aiohttp import web

from auditor.emulator.http.state import TIMEOUT_HOLD_SECONDS, HttpState
from auditor.estate.load import Fault

# What the request log records instead of the status code, on a response.
LOG_STATUS = web.ResponseKey("log_status", str)

_CODES: dict[str, dict[int, str]] = {
    "arm": {400: "BadRequest", 403: "AuthorizationFailed", 404: "ResourceNotFound",
            429: "SubscriptionRequestsThrottled", 500: "InternalServerError",
            503: "ServiceUnavailable", 504: "GatewayTimeout"},
    "arg": {400: "BadRequest", 403: "AuthorizationFailed", 404: "NotFound", 429: "RateLimiting",
            500: "InternalServerError", 503: "ServiceUnavailable", 504: "GatewayTimeout"},
    "keyvault": {400: "BadParameter", 403: "Forbidden", 404: "CertificateNotFound", 429: "Throttled",
                 500: "InternalServerError", 503: "ServiceUnavailable", 504: "GatewayTimeout"},
    "graph": {403: "Authorization_RequestDenied", 404: "Request_ResourceNotFound", 429: "TooManyRequests",
              500: "InternalServerError", 503: "ServiceUnavailable", 504: "GatewayTimeout"},
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = {"x-ms-request-id": str(uuid.uuid4())}
    all_headers.update(headers or {})
    return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                        headers=all_headers)


def error_response(service: str, status: int, message: str, *, code: str | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> web.Response:
    error: dict[str, Any] = {"code": code or _CODES.get(service, {}).get(status, "Error"), "message": message}
    error.update(extra)
    return json_response({"error": error}, status, headers)


def _seconds(value: float) -> str:
    return f"{value:g}"


async def fault_response(state: HttpState, service: str, key: str) -> web.Response | None:
    """The fault faults.json plans for this request, if any (consuming one of its `times`)."""
    fault = state.faults.take(service, key)
    if fault is None:
        return None
    response = await _respond(state, service, fault, key)
    response[LOG_STATUS] = f"fault:{fault.status}"
    return response


class DropConnection(Exception):
    """Raised by a fault: the connection is cut as the request arrives, with no answer.

    "reset" ends it with a TCP RST; "refused" with a plain close. Every HTTPS service shares
    one port, so a refusal of one service's connection can only be modelled after accept:
    the client sees the server disconnect before any byte of answer, as behind a proxy
    whose upstream refused."""

    def __init__(self, rst: bool) -> None:
        super().__init__("reset" if rst else "refused")
        self.rst = rst


async def _respond(state: HttpState, service: str, fault: Fault, key: str) -> web.Response:
    status = fault.status
    if status in ("reset", "refused"):
        raise DropConnection(rst=status == "reset")
    if status == "timeout":
        assert state.stopping is not None
        # Held until the emulator stops or the hold runs its course; then a gateway that gave up.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.stopping.wait(), TIMEOUT_HOLD_SECONDS)
        return error_response(service, 504, "The gateway did not receive a response in time.")
    if status == "malformed":
        return web.Response(status=200, text='{"value": [{"id": "/subscriptions/', content_type="application/json")
    if not isinstance(status, int):
        # "servfail" belongs to DNS; an HTTP service answers it as a server error.
        status = 500
    headers: dict[str, str] = {}
    # Resource Graph's own 429 has no Retry-After (guidance-for-throttled-requests): only a fault
    # that asks for one gets it there. A negative retry_after sends no Retry-After header at all.
    graph_throttle = service == "arg" and status == 429
    if status in (429, 503) and not (graph_throttle and fault.retry_after is None) \
            and (fault.retry_after is None or fault.retry_after >= 0):
        headers["Retry-After"] = _seconds(fault.retry_after if fault.retry_after is not None else 1)
    if status == 429 and service == "arm":
        headers["x-ms-ratelimit-remaining-subscription-reads"] = "0"
    if status == 429 and service == "arg":
        headers["x-ms-user-quota-remaining"] = "0"
        headers["x-ms-user-quota-resets-after"] = "00:00:05"
    return error_response(service, status, _message(service, status, key), headers=headers,
                          **_extra(service, status))


def _message(service: str, status: int, key: str) -> str:
    if status == 403 and service in ("arm", "arg"):
        return (f"The client does not have authorization to perform this action over {key} "
                "or the scope is invalid.")
    if status == 403:
        return "Operation get is not allowed by policy: the caller is not authorized for this vault."
    if status == 404:
        return f"The requested resource was not found: {key}"
    if status == 429:
        return "Too many requests. Please retry after the time given in Retry-After."
    return "The service is temporarily unable to process the request."


def _extra(service: str, status: int) -> dict[str, Any]:
    if service == "keyvault" and status == 403:
        return {"innererror": {"code": "ForbiddenByPolicy"}}
    return {}
