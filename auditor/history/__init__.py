"""Run history: every audit is recorded, and each report shows what changed since the last one."""

from __future__ import annotations

from pathlib import Path

from auditor.config import Config
from auditor.history.blob_store import BlobHistoryStore, BlobTarget
from auditor.history.diff import diff_runs
from auditor.history.model import FindingChange, RunDiff, RunRecord, RunSummary, TrackedFinding
from auditor.history.sqlite_store import SqliteHistoryStore
from auditor.history.store import HistoryStore


def open_store(config: Config, *, blob: BlobTarget | None = None) -> HistoryStore:
    """Blob Storage when a target is given (the Azure Function), else SQLite at config.history.path."""
    if blob is not None:
        return BlobHistoryStore(blob)
    return SqliteHistoryStore(Path(config.history.path))


__all__ = [
    "BlobHistoryStore", "BlobTarget", "FindingChange", "HistoryStore", "RunDiff", "RunRecord", "RunSummary",
    "SqliteHistoryStore", "TrackedFinding", "diff_runs", "open_store",
]
