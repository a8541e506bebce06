"""collect.deadline_seconds through the CLI: a vault that never answers, with a request
timeout far beyond the deadline, ends the run at the deadline; the report is still
written and its gap names the vault and the deadline."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import EstateSpec, Fault, Vault, VaultCertificate

DEADLINE = 12


def test_the_deadline_ends_the_run_and_the_report_is_written(tmp_path: Path) -> None:
    spec = EstateSpec(
        vaults=(Vault("kv-hung", certificates=(VaultCertificate("web", ("www.fabrikam.io",)),)),),
        faults=(Fault(service="keyvault", match="kv-hung", status="timeout"),),
        config=f"[collect]\nrequest_timeout_seconds = 120\nretries = 3\ndeadline_seconds = {DEADLINE}\n"
               "[history]\nenabled = false\n")
    estate = build_estate(spec, tmp_path / "estate")
    out = tmp_path / "report.json"
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "-f", "json",
                           "-o", str(out)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    seconds = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    report = json.loads(out.read_text())
    gaps = report["coverage"]["gaps"]
    named = [g for g in gaps if g["target"] == "kv-hung"]
    assert len(named) == 1, gaps
    gap = named[0]
    assert gap["reason"] == "timeout" and "collect.deadline_seconds" in gap["detail"]
    # Start-up (imports, the emulator) plus the deadline, far below one request timeout.
    assert seconds < DEADLINE + 40, seconds
