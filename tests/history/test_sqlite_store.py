from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from report.factories import AS_OF, finding, report

from auditor.config import HistoryConfig, default_config
from auditor.errors import AuditorError
from auditor.history import SqliteHistoryStore, open_store
from auditor.model.common import Severity

RECORDER = Path(__file__).with_name("record_runs.py")

A = finding("cert-expiring", Severity.HIGH, "a.contoso.com")
B = finding("dangling-dns", Severity.CRITICAL, "b.contoso.com")
C = finding("tls-weak-protocol", Severity.MEDIUM, "c.contoso.com")


def test_fixed_finding_is_resolved_and_a_new_one_is_new(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    first = store.record(report([A, B], as_of=AS_OF))
    assert first.earlier is None and {c.finding.id for c in first.new} == {A.id, B.id}

    second = store.record(report([A], as_of=AS_OF + timedelta(days=7)))
    assert [c.finding.id for c in second.resolved] == [B.id]
    assert second.new == ()
    assert [(c.finding.id, c.finding.first_seen, c.age_days) for c in second.still_open] == [(A.id, AS_OF, 7)]

    third = store.record(report([A, C], as_of=AS_OF + timedelta(days=14)))
    assert [c.finding.id for c in third.new] == [C.id]
    assert third.resolved == ()
    (still,) = third.still_open
    assert still.finding.first_seen == AS_OF and still.age_days == 14
    assert third.new[0].finding.first_seen == AS_OF + timedelta(days=14) and third.new[0].age_days == 0


def test_runs_get_and_diff_between_any_two(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    ids = [store.record(report(fs, as_of=AS_OF + timedelta(days=i))).later.run_id
           for i, fs in enumerate([[A, B], [A], [A, C]])]
    runs = store.runs()
    assert [r.run_id for r in runs] == ids
    assert runs[0].findings == 2 and runs[0].counts_by_severity["critical"] == 1
    diff = store.diff(ids[0], ids[2])
    assert [c.finding.id for c in diff.new] == [C.id]
    assert [c.finding.id for c in diff.resolved] == [B.id]
    assert store.get(ids[1]).report["findings"][0]["id"] == A.id
    with pytest.raises(AuditorError, match="no run"):
        store.get("nope")


def test_a_finding_that_comes_back_is_new_again(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    store.record(report([A], as_of=AS_OF))
    store.record(report([], as_of=AS_OF + timedelta(days=1)))
    back = store.record(report([A], as_of=AS_OF + timedelta(days=2)))
    assert [c.finding.first_seen for c in back.new] == [AS_OF + timedelta(days=2)]


def test_previous_run_is_the_same_tenants(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    store.record(report([A], tenant_id="t1"))
    other = store.record(report([B], tenant_id="t2"))
    assert other.earlier is None
    again = store.record(report([A], tenant_id="t1", as_of=AS_OF + timedelta(days=1)))
    assert again.earlier is not None and again.earlier.tenant_id == "t1" and again.new == ()


def test_open_store_uses_the_configured_path(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "history.sqlite"
    config = default_config()
    config = type(config)(cloud=config.cloud, history=HistoryConfig(path=str(path)))
    open_store(config).record(report([A]))
    assert path.exists()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(AuditorError, match="unreadable"):
        SqliteHistoryStore(path)


def _recorder(path: Path, runs: int, findings: int, label: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(RECORDER), str(path), str(runs), str(findings), label],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_audits_recording_at_once_do_not_corrupt_it(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    SqliteHistoryStore(path)
    procs = [_recorder(path, 15, 50, label) for label in ("left", "right")]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    store = SqliteHistoryStore(path)
    runs = store.runs()
    assert len(runs) == 30
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM run_findings").fetchone()[0] == 30 * 50
    # Runs took turns: each run's diff is against the one committed just before it.
    for before, after in zip(runs, runs[1:], strict=False):
        diff = store.diff(before.run_id, after.run_id)
        assert len(diff.new) == 50 and len(diff.resolved) == 50


def test_a_run_killed_mid_write_leaves_the_history_readable(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    store = SqliteHistoryStore(path)
    kept = store.record(report([A, B])).later.run_id
    wal = Path(f"{path}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    proc = _recorder(path, 1, 60_000, "huge")
    deadline = time.monotonic() + 60
    # Kill once the big transaction has started spilling into the WAL, well before it can commit.
    while (wal.stat().st_size if wal.exists() else 0) < wal_before + 1_000_000:
        assert proc.poll() is None, "the writer finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    reopened = SqliteHistoryStore(path)
    assert [r.run_id for r in reopened.runs()] == [kept]
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = reopened.record(report([A], as_of=AS_OF + timedelta(days=1)))
    assert after.earlier is not None and after.earlier.run_id == kept
    assert [c.finding.id for c in after.resolved] == [B.id]
