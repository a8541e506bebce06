from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.estate.demo import build_demo


@pytest.fixture(scope="session")
def demo_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "estate")


def run_auditor(*args: str, cwd: Path) -> tuple[int, Any, str]:
    """Run the CLI; returns (exit code, parsed stdout JSON, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    assert proc.returncode != 2, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


@pytest.fixture(scope="session")
def auditor() -> Any:
    return run_auditor
