"""What the history keeps about a run, and what changed between two runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditor.model.common import Severity
from auditor.model.finding import Finding
from auditor.model.report import iso


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    tenant_id: str
    as_of: datetime
    started: datetime
    finished: datetime
    complete: bool
    findings: int
    counts_by_severity: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "tenant_id": self.tenant_id, "as_of": iso(self.as_of),
                "started": iso(self.started), "finished": iso(self.finished),
                "complete": self.complete, "findings": self.findings,
                "counts_by_severity": dict(self.counts_by_severity)}


@dataclass(frozen=True)
class TrackedFinding:
    """A finding as a run saw it, with the time it was first seen in its current streak."""

    id: str
    rule: str
    severity: Severity
    subject: str
    resource_id: str
    title: str
    first_seen: datetime

    @classmethod
    def of(cls, finding: Finding, first_seen: datetime) -> TrackedFinding:
        return cls(id=finding.id, rule=finding.rule, severity=finding.severity, subject=finding.subject,
                   resource_id=finding.resource_id, title=finding.title, first_seen=first_seen)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "severity": self.severity.value, "subject": self.subject,
                "resource_id": self.resource_id, "title": self.title, "first_seen": iso(self.first_seen)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> TrackedFinding:
        return cls(id=raw["id"], rule=raw["rule"], severity=Severity(raw["severity"]), subject=raw["subject"],
                   resource_id=raw["resource_id"], title=raw["title"],
                   first_seen=datetime.fromisoformat(raw["first_seen"]))


@dataclass(frozen=True)
class RunRecord:
    """One stored run: its summary, its findings with first-seen times, and the report JSON."""

    summary: RunSummary
    findings: tuple[TrackedFinding, ...]
    report: dict[str, Any]


@dataclass(frozen=True)
class FindingChange:
    finding: TrackedFinding
    age_days: int      # days from first seen to the later run's as_of

    def to_json(self) -> dict[str, Any]:
        return {**self.finding.to_json(), "age_days": self.age_days}


@dataclass(frozen=True)
class RunDiff:
    """Run `later` compared with run `earlier` (None: the first run, everything is new)."""

    earlier: RunSummary | None
    later: RunSummary
    new: tuple[FindingChange, ...]
    resolved: tuple[FindingChange, ...]
    still_open: tuple[FindingChange, ...]

    def status_of(self, finding_id: str) -> FindingChange | None:
        for change in (*self.new, *self.still_open):
            if change.finding.id == finding_id:
                return change
        return None

    def is_new(self, finding_id: str) -> bool:
        return any(c.finding.id == finding_id for c in self.new)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "auditor-history-diff/1",
            "earlier": self.earlier.to_json() if self.earlier else None,
            "later": self.later.to_json(),
            "new": [c.to_json() for c in self.new],
            "resolved": [c.to_json() for c in self.resolved],
            "still_open": [c.to_json() for c in self.still_open],
        }

    def changes_json(self) -> dict[str, Any]:
        """The report's `changes` member: every current finding's status, and the resolved ones apart."""
        findings = {c.finding.id: {"status": status, "first_seen": iso(c.finding.first_seen), "age_days": c.age_days}
                    for status, group in (("new", self.new), ("open", self.still_open)) for c in group}
        return {
            "run_id": self.later.run_id,
            "previous_run_id": self.earlier.run_id if self.earlier else None,
            "new": len(self.new),
            "resolved": len(self.resolved),
            "still_open": len(self.still_open),
            "findings": findings,
            "resolved_findings": [c.to_json() for c in self.resolved],
        }
