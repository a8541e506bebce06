"""What every history store offers the CLI and the Azure Function."""

from __future__ import annotations

from typing import Protocol

from auditor.history.model import RunDiff, RunRecord, RunSummary
from auditor.model.report import Report


class HistoryStore(Protocol):
    def record(self, report: Report) -> RunDiff:
        """Store the run and return what changed since the tenant's previous run."""
        ...

    def runs(self) -> list[RunSummary]:
        """Every stored run, oldest first."""
        ...

    def get(self, run_id: str) -> RunRecord:
        """One run; AuditorError when there is no such run."""
        ...

    def diff(self, run_a: str, run_b: str) -> RunDiff:
        """What changed from run_a to run_b."""
        ...
