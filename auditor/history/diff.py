"""Pure functions: carry first-seen times forward, and compare two runs."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from auditor.history.model import FindingChange, RunDiff, RunRecord, RunSummary, TrackedFinding
from auditor.model.common import Severity
from auditor.model.report import Report


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def new_run_id(report: Report) -> str:
    """Sortable by start time, unique across concurrent writers."""
    return f"{_utc(report.started).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"


def summarise(run_id: str, report: Report) -> RunSummary:
    by_severity = {s.value: 0 for s in Severity}
    for finding in report.findings:
        by_severity[finding.severity.value] += 1
    return RunSummary(run_id=run_id, tenant_id=report.tenant_id, as_of=_utc(report.as_of),
                      started=_utc(report.started), finished=_utc(report.finished),
                      complete=report.complete, findings=len(report.findings),
                      counts_by_severity=by_severity)


def track(report: Report, previous: RunRecord | None) -> tuple[TrackedFinding, ...]:
    """A finding still open since the previous run keeps its first-seen time; others start now.

    A finding that was resolved and comes back starts a new streak: it is new again.
    """
    carried = {f.id: f.first_seen for f in previous.findings} if previous else {}
    now = _utc(report.as_of)
    tracked: dict[str, TrackedFinding] = {}
    for finding in report.findings:
        tracked.setdefault(finding.id, TrackedFinding.of(finding, carried.get(finding.id, now)))
    return tuple(tracked.values())


def _age(first_seen: datetime, at: datetime) -> int:
    return max(0, (at - first_seen).days)


def _ordered(items: Iterable[TrackedFinding], at: datetime) -> tuple[FindingChange, ...]:
    changes = [FindingChange(finding=f, age_days=_age(f.first_seen, at)) for f in items]
    changes.sort(key=lambda c: (-c.finding.severity.rank, c.finding.rule, c.finding.subject, c.finding.id))
    return tuple(changes)


def diff_runs(earlier: RunRecord | None, later: RunRecord) -> RunDiff:
    at = later.summary.as_of
    before = {f.id: f for f in earlier.findings} if earlier else {}
    after = {f.id: f for f in later.findings}
    return RunDiff(
        earlier=earlier.summary if earlier else None,
        later=later.summary,
        new=_ordered((f for i, f in after.items() if i not in before), at),
        resolved=_ordered((f for i, f in before.items() if i not in after), at),
        still_open=_ordered((f for i, f in after.items() if i in before), at),
    )


def build_record(run_id: str, report: Report, previous: RunRecord | None) -> RunRecord:
    return RunRecord(summary=summarise(run_id, report), findings=track(report, previous), report=report.to_json())
