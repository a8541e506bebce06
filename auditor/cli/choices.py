"""Validation of option values, with the one-line errors the contract asks for."""

from __future__ import annotations

import re

from auditor.errors import AuditorError
from auditor.model import Severity

AUDIT_FORMATS = ("table", "json", "markdown", "html", "csv", "sarif", "junit")
DECOMMISSION_FORMATS = ("table", "json", "markdown")
INVENTORY_FORMATS = ("table", "json", "csv")
RULES_FORMATS = ("table", "json")
HISTORY_LIST_FORMATS = ("table", "json")
HISTORY_DIFF_FORMATS = ("table", "json", "markdown")

# A subscription id is a GUID (https://learn.microsoft.com/en-us/azure/azure-portal/get-subscription-tenant-id).
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def check_format(fmt: str, allowed: tuple[str, ...], command: str) -> str:
    value = fmt.lower()
    if value not in allowed:
        raise AuditorError(f"{command} --format must be one of {', '.join(allowed)}, not {fmt!r}")
    return value


def parse_fail_on(value: str | None, default: Severity) -> Severity:
    """Any severity, info included, as the config's report.fail_on accepts."""
    if value is None:
        return default
    try:
        return Severity(value.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in sorted(Severity, key=lambda s: -s.rank))
        raise AuditorError(f"--fail-on must be one of {names}, not {value!r}") from None


def parse_subscriptions(values: list[str] | None) -> tuple[str, ...] | None:
    """--subscription ID (repeatable): None when not given, so scope.subscriptions stays."""
    if not values:
        return None
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            sub = part.strip().lower()
            if not _GUID.match(sub):
                raise AuditorError(f"--subscription must be a subscription id (a GUID), not {part.strip()!r}")
            if sub not in out:
                out.append(sub)
    return tuple(out)
