"""Which findings a notification carries, and its one-line summary."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.config import NotifyConfig
from auditor.history.model import RunDiff
from auditor.model.finding import Finding
from auditor.model.report import Report, iso
from auditor.report.ordering import ordered, severity_counts

MAX_LISTED = 20     # chat cards stay readable and under the services' payload limits


@dataclass(frozen=True)
class Notification:
    report: Report
    findings: tuple[Finding, ...]       # worst first
    new_ids: frozenset[str]             # which of them are new since the previous run
    summary: str
    only_new: bool

    @property
    def listed(self) -> tuple[Finding, ...]:
        return self.findings[:MAX_LISTED]

    @property
    def unlisted(self) -> int:
        return max(0, len(self.findings) - MAX_LISTED)


def summary_line(report: Report, diff: RunDiff | None) -> str:
    counts = severity_counts(report.findings)
    worst = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    parts = [f"Audit of tenant {report.tenant_id} as of {iso(report.as_of)[:10]}: "
             f"{len(report.findings)} finding(s)" + (f" ({worst})" if worst else "")]
    if diff is not None:
        parts.append(f"{len(diff.new)} new, {len(diff.resolved)} resolved since the previous run")
    parts.append("coverage complete" if report.complete else f"coverage INCOMPLETE ({len(report.gaps)} gap(s))")
    return "; ".join(parts)


def select(report: Report, diff: RunDiff | None, config: NotifyConfig) -> Notification | None:
    """New findings at or above min_severity (all of them without history, or with only_new off).

    None when there is nothing to say: no finding qualifies.
    """
    new_ids = frozenset(c.finding.id for c in diff.new) if diff is not None else frozenset()
    use_new = config.only_new and diff is not None
    chosen = tuple(f for f in ordered(report.findings)
                   if f.severity.at_least(config.min_severity) and (not use_new or f.id in new_ids))
    if not chosen:
        return None
    return Notification(report=report, findings=chosen, new_ids=new_ids, summary=summary_line(report, diff),
                        only_new=use_new)
