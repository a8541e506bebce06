"""Times in a description: relative to the estate's `as_of` ("+10d", "-3d", "12h") or ISO-8601."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from auditor.errors import EstateError
from auditor.estate.load import parse_timestamp

_SPAN = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)\s*([ydhm])$")
_UNIT = {"y": timedelta(days=365), "d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


def span(text: str, where: str = "duration") -> timedelta:
    """ "90d", "1y", "-3d", "12h" -> a signed timedelta."""
    match = _SPAN.match(text.strip().lower())
    if not match:
        raise EstateError(f"{where}: {text!r} is not a duration like 90d, 12h, 1y or -3d")
    sign, amount, unit = match.groups()
    delta = _UNIT[unit] * float(amount)
    return -delta if sign == "-" else delta


def moment(text: str, as_of: datetime, where: str = "time") -> datetime:
    """A relative span from `as_of`, or an absolute ISO-8601 time."""
    if _SPAN.match(text.strip().lower()):
        return as_of + span(text, where)
    try:
        return parse_timestamp(text)
    except ValueError:
        raise EstateError(f"{where}: {text!r} is neither a span like +10d nor an ISO-8601 time") from None


def epoch(ts: datetime) -> int:
    return int(ts.timestamp())


def azure_time(ts: datetime) -> str:
    """The `+00:00` form App Service uses for certificate dates."""
    return ts.astimezone(UTC).replace(microsecond=0).isoformat()


def zulu(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
