"""Every estate-file error is one line naming the file, before any server starts:
binary zone files, JSON nested past the recursion limit, deep values inside ARM objects."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.collect.service_harness import arm, write_estate


def audit(estate: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "--no-history"],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_names_file(proc: subprocess.CompletedProcess[str], path: Path, needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), proc.stderr
    assert str(path) in lines[0] and needle in lines[0], lines[0]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def _site() -> dict[str, object]:
    return arm("Microsoft.Web/sites", "app", {"hostNames": ["app.azurewebsites.net"]})


@pytest.mark.parametrize("case", ["binary-zone", "deep-json", "deep-arm-value"])
def test_estate_file_errors_name_the_file(tmp_path: Path, case: str) -> None:
    estate = write_estate(tmp_path / "estate", [_site()])
    if case == "binary-zone":
        bad = estate / "dns" / "fabrikam.io.zone"
        bad.parent.mkdir()
        bad.write_bytes(b"\xff\xfe\x00garbage\x9c\x80" * 50)
        needle = "is not text"
    elif case == "deep-json":
        bad = estate / "arm" / "objects.json"
        bad.write_text("[" * 100_000 + "]" * 100_000)
        needle = "nested"
    else:
        bad = estate / "arm" / "objects.json"
        deep: object = "leaf"
        for _ in range(900):
            deep = {"x": deep}
        site = _site()
        site["properties"] = {"hostNames": [], "siteConfig": deep}
        bad.write_text(json.dumps([site]))
        needle = "levels deep"
    assert_names_file(audit(estate, tmp_path), bad, needle)
