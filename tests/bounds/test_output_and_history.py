"""Output and history honesty, through the CLI: the output path is checked before any
collection, a missing directory is an error, files take the umask's mode, history is
written only after the report, and `history diff` pairs runs of one tenant and scope."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from report.factories import AS_OF, finding, report

from auditor.history import SqliteHistoryStore
from auditor.model.common import Severity
from tests.collect.service_harness import arm, write_estate

OTHER_TENANT = "99999999-8888-7777-6666-555555555555"


def cli(*args: str, cwd: Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, preexec_fn=set_umask)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("out") / "estate"
    return write_estate(root, [arm("Microsoft.Web/sites", "app", {"hostNames": ["app.azurewebsites.net"]})])


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), proc.stderr
    return lines[0]


def test_missing_output_directory_is_an_error_before_collecting(estate: Path, tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    # A hung vault would hold collection for a long time: the check must come first.
    started = time.monotonic()
    proc = cli("audit", "--estate", str(estate), "-f", "json", "-o", str(tmp_path / "nope" / "r.json"),
               "--history", str(history), cwd=tmp_path)
    line = one_error_line(proc)
    assert "does not exist" in line and str(tmp_path / "nope") in line
    assert not (tmp_path / "nope").exists()
    assert not history.exists()
    assert time.monotonic() - started < 60


def test_unwritable_output_records_no_history(estate: Path, tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    (tmp_path / "report.json").mkdir()
    line = one_error_line(cli("audit", "--estate", str(estate), "-f", "json", "-o", str(tmp_path / "report.json"),
                              "--history", str(history), cwd=tmp_path))
    assert "is a directory" in line
    assert not history.exists() or SqliteHistoryStore(history).runs() == []


def test_output_files_take_the_umask_and_keep_an_existing_mode(estate: Path, tmp_path: Path) -> None:
    fresh, existing = tmp_path / "fresh.json", tmp_path / "existing.json"
    existing.write_text("{}")
    existing.chmod(0o644)
    for target in (fresh, existing):
        proc = cli("audit", "--estate", str(estate), "-f", "json", "-o", str(target), "--no-history",
                   cwd=tmp_path, umask=0o027)
        assert proc.returncode in (0, 1, 3), proc.stderr
        assert json.loads(target.read_text())["schema"] == "auditor-report/1"
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_history_is_recorded_after_a_written_report(estate: Path, tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    out = tmp_path / "r.json"
    proc = cli("audit", "--estate", str(estate), "-f", "json", "-o", str(out), "--history", str(history),
               cwd=tmp_path)
    assert proc.returncode in (0, 1, 3), proc.stderr
    [run] = SqliteHistoryStore(history).runs()
    assert json.loads(out.read_text())["changes"]["run_id"] == run.run_id


def _diff(history: Path, cwd: Path, *runs: str) -> subprocess.CompletedProcess[str]:
    return cli("history", "diff", *runs, "--history", str(history), "-f", "json", cwd=cwd)


def test_history_diff_pairs_runs_of_the_same_tenant_and_scope(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    store = SqliteHistoryStore(history)
    a = finding("cert-expiring", Severity.HIGH, "a.contoso.com")
    b = finding("dangling-dns", Severity.HIGH, "b.fabrikam.com")
    first = store.record(report([a], as_of=AS_OF))
    other = store.record(report([b], as_of=AS_OF + timedelta(days=1), tenant_id=OTHER_TENANT))
    narrowed = dataclasses.replace(report([a], as_of=AS_OF + timedelta(days=2)), subscriptions=())
    store.record(narrowed)
    latest = store.record(report([a], as_of=AS_OF + timedelta(days=7)))

    proc = _diff(history, tmp_path)
    assert proc.returncode == 0, proc.stderr
    diff = json.loads(proc.stdout)
    # Paired with the first run: not the other tenant's, nor the one with another scope.
    assert (diff["earlier"]["run_id"], diff["later"]["run_id"]) == (first.later.run_id, latest.later.run_id)
    assert (diff["new"], diff["resolved"]) == ([], [])
    # The audit's own comparison pairs the same way.
    assert latest.earlier is not None and latest.earlier.run_id == first.later.run_id

    line = one_error_line(_diff(history, tmp_path, first.later.run_id, other.later.run_id))
    assert "different tenants or scopes" in line
