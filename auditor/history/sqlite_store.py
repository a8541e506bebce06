"""The default history: one SQLite file, WAL mode, one transaction per run.

WAL and one transaction per run mean a process killed mid-write leaves the last
committed run intact, and `BEGIN IMMEDIATE` with a busy timeout makes two audits
recording at once take turns instead of corrupting the file or each other's diff.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

from auditor.errors import AuditorError
from auditor.history.diff import build_record, diff_runs, new_run_id
from auditor.history.model import RunDiff, RunRecord, RunSummary, TrackedFinding
from auditor.history.pairing import key_of_json, key_of_report
from auditor.model.common import Severity
from auditor.model.report import Report, iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    as_of TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    complete INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    counts_by_severity TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_tenant ON runs (tenant_id, seq);
CREATE TABLE IF NOT EXISTS run_findings (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    finding_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    subject TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    title TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (run_id, finding_id)
);
"""

_SUMMARY_COLUMNS = "run_id, tenant_id, as_of, started, finished, complete, findings, counts_by_severity"


class SqliteHistoryStore:
    def __init__(self, path: Path, *, busy_timeout_seconds: float = 30.0) -> None:
        self.path = path
        self._busy_timeout = busy_timeout_seconds
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            if self.path.parent != Path(""):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise AuditorError(f"cannot open history {self.path}: {exc}") from exc
        with closing(db):
            try:
                db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
                yield db
            except sqlite3.DatabaseError as exc:
                raise AuditorError(f"history {self.path} is unreadable: {exc}") from exc

    def record(self, report: Report, run_id: str | None = None) -> RunDiff:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                previous = self._latest(db, report)
                record = build_record(run_id or new_run_id(report), report, previous)
                self._insert(db, record)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return diff_runs(previous, record)

    def preview(self, report: Report) -> RunDiff:
        with self._connect() as db:
            previous = self._latest(db, report)
        return diff_runs(previous, build_record(new_run_id(report), report, previous))

    def runs(self) -> list[RunSummary]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY seq").fetchall()
        return [_summary(row) for row in rows]

    def get(self, run_id: str) -> RunRecord:
        with self._connect() as db:
            return self._load(db, run_id)

    def diff(self, run_a: str, run_b: str) -> RunDiff:
        with self._connect() as db:
            return diff_runs(self._load(db, run_a), self._load(db, run_b))

    def _latest(self, db: sqlite3.Connection, report: Report) -> RunRecord | None:
        """The latest run of the same tenant and scope (newest first; usually the first row)."""
        wanted = key_of_report(report)
        rows = db.execute("SELECT run_id, report FROM runs WHERE tenant_id = ? ORDER BY seq DESC",
                          (report.tenant_id,))
        for run_id, stored in rows:
            if key_of_json(json.loads(stored)) == wanted:
                return self._load(db, run_id)
        return None

    def _load(self, db: sqlite3.Connection, run_id: str) -> RunRecord:
        row = db.execute(f"SELECT {_SUMMARY_COLUMNS}, report FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise AuditorError(f"no run {run_id!r} in history {self.path}")
        findings = db.execute(
            "SELECT finding_id, rule, severity, subject, resource_id, title, first_seen "
            "FROM run_findings WHERE run_id = ? ORDER BY finding_id", (run_id,)).fetchall()
        return RunRecord(
            summary=_summary(row[:8]),
            findings=tuple(TrackedFinding(id=f[0], rule=f[1], severity=Severity(f[2]), subject=f[3],
                                          resource_id=f[4], title=f[5], first_seen=datetime.fromisoformat(f[6]))
                           for f in findings),
            report=json.loads(row[8]),
        )

    @staticmethod
    def _insert(db: sqlite3.Connection, record: RunRecord) -> None:
        s = record.summary
        db.execute(
            "INSERT INTO runs (run_id, tenant_id, as_of, started, finished, complete, findings, "
            "counts_by_severity, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.run_id, s.tenant_id, iso(s.as_of), iso(s.started), iso(s.finished), int(s.complete),
             s.findings, json.dumps(s.counts_by_severity), json.dumps(record.report)))
        db.executemany(
            "INSERT INTO run_findings (run_id, finding_id, rule, severity, subject, resource_id, title, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.run_id, f.id, f.rule, f.severity.value, f.subject, f.resource_id, f.title, iso(f.first_seen))
             for f in record.findings])


def _summary(row: tuple) -> RunSummary:  # type: ignore[type-arg]
    return RunSummary(run_id=row[0], tenant_id=row[1], as_of=datetime.fromisoformat(row[2]),
                      started=datetime.fromisoformat(row[3]), finished=datetime.fromisoformat(row[4]),
                      complete=bool(row[5]), findings=row[6], counts_by_severity=json.loads(row[7]))
