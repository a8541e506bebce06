"""The emulator's HTTPS private key never reaches the disk, so no exit path, `kill -9`
included, can leave it behind in a temporary directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.collect.service_harness import arm, write_estate


def private_keys_under(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and b"PRIVATE KEY" in path.read_bytes():
            found.append(path)
    return found


def test_killed_emulator_leaves_no_private_key(tmp_path: Path) -> None:
    estate = write_estate(tmp_path / "estate", [arm("Microsoft.Web/sites", "app", {})])
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "emulator", "--estate", str(estate)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        lines = []
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Ctrl-C" in line or not line:
                break
        assert any("CA certificate" in x for x in lines), lines
        # The server is up and serving TLS: its key is loaded, and nowhere on disk.
        assert list(scratch.iterdir()), "the emulator's working folder is under TMPDIR"
        assert private_keys_under(scratch) == []
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert private_keys_under(scratch) == []


def test_terminated_audit_removes_the_emulator_folder(tmp_path: Path) -> None:
    from auditor.estate.builder.build import build_estate
    from auditor.estate.builder.spec import EstateSpec, Fault, Vault, VaultCertificate

    spec = EstateSpec(vaults=(Vault("kv-hung", certificates=(VaultCertificate("web", ("www.fabrikam.io",)),)),),
                      faults=(Fault(service="keyvault", match="kv-hung", status="timeout"),),
                      config="[collect]\nrequest_timeout_seconds = 120\n[history]\nenabled = false\n")
    estate = build_estate(spec, tmp_path / "estate")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(scratch.glob("auditor-emulator-*")):
            time.sleep(0.2)
        assert any(scratch.glob("auditor-emulator-*")), "the emulator never started"
        time.sleep(3)        # well into collection: the hung vault holds it
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(scratch.glob("auditor-emulator-*")) == []
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
