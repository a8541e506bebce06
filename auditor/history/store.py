"""What every history store offers the CLI and the Azure Function."""

from __future__ import annotations

from typing import Protocol

from auditor.history.model import RunDiff, RunRecord, RunSummary
from auditor.model.report import Report


class HistoryStore(Protocol):
    def record(self, report: Report, run_id: str | None = None) -> RunDiff:
        """Store the run (as `run_id`, e.g. the one `preview` gave) and return what changed
        since the previous run of the same tenant and scope."""
        ...

    def preview(self, report: Report) -> RunDiff:
        """What `record` would return, without storing anything."""
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
