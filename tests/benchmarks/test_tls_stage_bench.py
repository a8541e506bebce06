"""The tls-stage benchmark through `python -m benchmarks.run`, at its smallest: it counts
connections per name from the emulator's log, and a peer that is not installed is skipped,
never failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tls_stage_reports_connections_per_name_and_skips_missing_peers(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "empty-path"), "PYTHONPATH": str(ROOT)}   # no peer on PATH
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--scenario", "tls-stage", "--scale", "0.02",
                           "--results-dir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [record_file] = tmp_path.glob("*.jsonl")
    record = json.loads(record_file.read_text(encoding="utf-8").splitlines()[-1])
    assert record["names"] == 4
    assert 3.0 <= record["auditor"]["connections_per_name"] < 4.0    # SNI, TLS 1.0, TLS 1.1, and 1/4 no-SNI
    assert record["auditor"]["ok"] == 4
    assert record["auditor"]["legacy_only_with_chain"] == 1
    assert record["blackbox"] == record["sslyze"] == "not installed"
    assert "tls-stage (scale 0.02): 4 names" in proc.stdout
