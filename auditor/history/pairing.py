"""Which runs may be compared: the same tenant and the same scope.

A diff across tenants, or across a changed subscription scope, would report one
estate's findings as "resolved" and another's as "new". The scope is read from the
stored report (`scope.subscriptions`), so histories written before this rule pair too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.report import Report

ScopeKey = tuple[str, tuple[str, ...]]


def key_of_report(report: Report) -> ScopeKey:
    return report.tenant_id.lower(), _subscriptions(report.subscriptions)


def key_of_json(report: Mapping[str, Any]) -> ScopeKey:
    scope = report.get("scope")
    subs = scope.get("subscriptions") if isinstance(scope, Mapping) else None
    return str(report.get("tenant_id") or "").lower(), _subscriptions(subs if isinstance(subs, list) else [])


def describe(key: ScopeKey) -> str:
    tenant, subs = key
    return f"tenant {tenant or '?'}, {len(subs)} subscription(s)"


def _subscriptions(subs: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({str(s).lower() for s in subs}))
