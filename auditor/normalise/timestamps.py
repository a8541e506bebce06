"""Timestamps as Azure writes them, read one tolerant way everywhere.

ARM writes `Z`, `+00:00`, `-00:00` and 7-digit fractions; Key Vault writes Unix
seconds; an empty string or null means absent.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse_time(value: object) -> datetime | None:
    """An aware UTC datetime, or None when the value is absent.

    Raises ValueError for a value that is present but is no timestamp.
    """
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    text = value.strip()
    if not text:
        return None
    if _is_number(text):
        return datetime.fromtimestamp(float(text), UTC)
    return _parse_iso(text)


def parse_time_or_none(value: object) -> datetime | None:
    """Like parse_time, but a malformed value is also treated as absent."""
    try:
        return parse_time(value)
    except (ValueError, OverflowError, OSError):
        return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_iso(text: str) -> datetime:
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    if "." in text:
        head, _, rest = text.partition(".")
        digits = _leading_digits(rest)
        # Python reads at most 6 fraction digits; Azure writes 7.
        text = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}" if digits else head + rest
    ts = datetime.fromisoformat(text)
    return ts.astimezone(UTC) if ts.tzinfo else ts.replace(tzinfo=UTC)


def _leading_digits(text: str) -> str:
    out = []
    for ch in text:
        if not ch.isdigit():
            break
        out.append(ch)
    return "".join(out)
