"""Validation of option values, with the one-line errors the contract asks for."""

from __future__ import annotations

from auditor.errors import AuditorError
from auditor.model import Severity

AUDIT_FORMATS = ("table", "json", "markdown", "html", "csv", "sarif", "junit")
DECOMMISSION_FORMATS = ("table", "json", "markdown")
INVENTORY_FORMATS = ("table", "json", "csv")


def check_format(fmt: str, allowed: tuple[str, ...], command: str) -> str:
    value = fmt.lower()
    if value not in allowed:
        raise AuditorError(f"{command} --format must be one of {', '.join(allowed)}, not {fmt!r}")
    return value


def parse_fail_on(value: str | None, default: Severity) -> Severity:
    if value is None:
        return default
    try:
        severity = Severity(value.lower())
    except ValueError:
        severity = None
    if severity is None or severity is Severity.INFO:
        raise AuditorError(f"--fail-on must be one of critical, high, medium, low, not {value!r}")
    return severity
