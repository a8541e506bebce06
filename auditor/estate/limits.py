"""Azure's documented limits, which the emulator enforces unless an estate sets others.

Resource Graph: 15 queries per 5-second window per identity and answers of at most
16 MiB (guidance-for-throttled-requests; ResponsePayloadTooLarge). ARM reads: a token
bucket of 250 per subscription and identity, refilled at 25 a second
(request-limits-and-throttling).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from auditor.errors import EstateError


@dataclass(frozen=True)
class Limits:
    arg_queries_per_5s: int = 15
    arg_max_response_bytes: int = 16 * 1024 * 1024
    arm_reads_bucket: int = 250
    arm_reads_per_second: int = 25


ACCESS_VALUES = ("none",)


def parse_limits(raw: Any, where: str) -> Limits:
    """estate.json's `limits`: any subset of the keys, each a whole number above 0."""
    if raw is None:
        return Limits()
    if not isinstance(raw, dict):
        raise EstateError(f"{where}: limits must be an object")
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise EstateError(f"{where}: unknown limits {unknown}; use {sorted(known)}")
    for key, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise EstateError(f"{where}: limits.{key} must be a whole number above 0")
    return Limits(**raw)


def check_access(subscription: dict[str, Any], where: str) -> None:
    access = subscription.get("access")
    if access is not None and access not in ACCESS_VALUES:
        raise EstateError(f"{where}: subscription {subscription.get('subscriptionId')}: "
                          f"access must be one of {list(ACCESS_VALUES)}")
