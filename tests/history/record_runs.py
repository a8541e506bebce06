"""Run as a separate process by the history tests: records runs into a SQLite history.

usage: record_runs.py PATH RUNS FINDINGS LABEL
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.history.sqlite_store import SqliteHistoryStore
from auditor.model.common import Severity
from auditor.model.finding import Finding
from auditor.model.report import Report


def main() -> None:
    path, runs, findings, label = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = SqliteHistoryStore(path)
    start = datetime(2025, 9, 1, tzinfo=UTC)
    for run in range(runs):
        as_of = start + timedelta(days=run)
        report = Report(as_of=as_of, started=as_of, finished=as_of, tenant_id="tenant", subscriptions=("s",),
                        gaps=(), counts={},
                        findings=tuple(Finding("cert-expiring", Severity.HIGH, f"{label}-{run}-{i}.contoso.com",
                                               f"/subscriptions/s/{label}/{i}", "expiring", "renew")
                                       for i in range(findings)))
        store.record(report)
        print(f"recorded {label} {run}", flush=True)


if __name__ == "__main__":
    main()
