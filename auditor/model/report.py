"""The audit report (auditor-report/1) and the decommission answer (auditor-decommission/1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from auditor.model.common import CoverageGap
from auditor.model.finding import Finding

REPORT_SCHEMA = "auditor-report/1"
DECOMMISSION_SCHEMA = "auditor-decommission/1"


def iso(ts: datetime) -> str:
    """UTC, seconds precision, `Z` suffix: the report's one timestamp format."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gap_json(gap: CoverageGap) -> dict[str, Any]:
    body: dict[str, Any] = {"source": gap.source.value, "target": gap.target, "reason": gap.reason.value,
                            "detail": gap.detail}
    if gap.acknowledged:
        body["acknowledged"] = True
    return body


@dataclass(frozen=True, slots=True)
class Report:
    as_of: datetime
    started: datetime
    finished: datetime
    tenant_id: str
    subscriptions: tuple[str, ...]
    gaps: tuple[CoverageGap, ...]
    counts: dict[str, int]
    findings: tuple[Finding, ...]
    # Filled by the history layer: finding id -> "new" | "open"; resolved ones listed apart.
    changes: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()     # e.g. a webhook that failed; never secret

    @property
    def complete(self) -> bool:
        # An acknowledged gap is still listed, but the user has accepted it for the audit.
        return not any(not g.acknowledged for g in self.gaps)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schema": REPORT_SCHEMA,
            "as_of": iso(self.as_of),
            "started": iso(self.started),
            "finished": iso(self.finished),
            "tenant_id": self.tenant_id,
            "scope": {"subscriptions": list(self.subscriptions)},
            "coverage": {"complete": self.complete, "gaps": [gap_json(g) for g in self.gaps]},
            "counts": dict(self.counts),
            "findings": [f.to_json() for f in self.findings],
        }
        if self.changes:
            body["changes"] = self.changes
        if self.warnings:
            body["warnings"] = list(self.warnings)
        return body


@dataclass(frozen=True, slots=True)
class Dependent:
    kind: str             # a CONTRACT section 4 dependent kind
    hostname: str
    resource_id: str
    where: str
    detail: str
    remove: str
    # Whether the name saw requests in the logs window ("1,204 requests in 7 d", "no requests in
    # 7 d"); empty when the logs were not consulted or could not tell.
    traffic: str = ""

    def to_json(self) -> dict[str, str]:
        body = {"kind": self.kind, "hostname": self.hostname, "resource_id": self.resource_id,
                "where": self.where, "detail": self.detail, "remove": self.remove}
        if self.traffic:
            body["traffic"] = self.traffic
        return body


@dataclass(frozen=True, slots=True)
class DecommissionResult:
    target: str
    dependents: tuple[Dependent, ...]
    gaps: tuple[CoverageGap, ...]

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def safe(self) -> bool:
        # Never safe while something in scope could not be seen.
        return self.complete and not self.dependents

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": DECOMMISSION_SCHEMA,
            "target": self.target,
            "safe": self.safe,
            "complete": self.complete,
            "gaps": [gap_json(g) for g in self.gaps],
            "dependents": [d.to_json() for d in self.dependents],
        }
