"""Bearer tokens the emulator issued, and the audience each was issued for."""

from __future__ import annotations

import secrets
import threading
from enum import Enum

from aiohttp import web


class TokenCheck(Enum):
    OK = "ok"
    MISSING = "missing"
    UNKNOWN = "unknown"
    WRONG_AUDIENCE = "wrong-audience"


def audience_of(scope: str) -> str:
    """`https://management.azure.com/.default` -> `https://management.azure.com`."""
    first = scope.split()[0] if scope.split() else ""
    if first.endswith("/.default"):
        first = first[: -len("/.default")]
    return first.rstrip("/").lower()


class TokenStore:
    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def issue(self, audience: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = audience
        return token

    def check(self, request: web.Request, audiences: set[str]) -> TokenCheck:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return TokenCheck.MISSING
        with self._lock:
            audience = self._tokens.get(token.strip())
        if audience is None:
            return TokenCheck.UNKNOWN
        if audience not in audiences:
            return TokenCheck.WRONG_AUDIENCE
        return TokenCheck.OK
