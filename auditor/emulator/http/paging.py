"""Opaque continuation tokens and page slicing shared by ARM, Resource Graph, Key Vault and Graph.

A token carries the next offset and a fingerprint of what was asked, so a token
replayed against a different query is refused instead of silently mis-paging.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")


class BadSkipToken(ValueError):
    pass


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def make_token(offset: int, scope: str) -> str:
    raw = json.dumps({"o": offset, "s": scope}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(token: str, scope: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadSkipToken(f"invalid continuation token: {exc}") from None
    if data.get("s") != scope or offset < 0:
        raise BadSkipToken("the continuation token does not belong to this request")
    return offset


def page(items: list[T], offset: int, size: int) -> tuple[list[T], int | None]:
    """The page starting at `offset`, and the next offset or None when this was the last page."""
    chunk = items[offset: offset + size]
    following = offset + size
    return chunk, (following if following < len(items) else None)


def next_link(base: str, query: dict[str, str], token_param: str, token: str) -> str:
    params: dict[str, Any] = {k: v for k, v in query.items() if k.lower() != token_param.lower()}
    params[token_param] = token
    return f"{base}?{urlencode(params)}"
