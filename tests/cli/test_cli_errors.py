"""Bad input: one clear line on stderr, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("auditor: error:")
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (("audit", "--format", "pdf"), "--format must be one of"),
    (("audit", "--estate", "/nonexistent/estate"), "estate directory not found"),
    (("audit", "--frobnicate"), "No such option"),
    (("inventory", "--format", "sarif"), "inventory --format"),
    (("decommission", "check", "x.com", "--format", "html"), "decommission check --format"),
    (("nosuchcommand",), "No such command"),
])
def test_bad_usage(args: tuple[str, ...], needle: str, tmp_path: Path) -> None:
    assert_one_line_error(run(*args, cwd=tmp_path), needle)


def test_unreadable_estate_is_one_line(tmp_path: Path) -> None:
    estate = tmp_path / "estate"
    estate.mkdir()
    (estate / "estate.json").write_text("{not json")
    assert_one_line_error(run("audit", "--estate", str(estate), cwd=tmp_path), "not valid JSON")


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[scope]\nsubscriptionz = []\n")
    assert_one_line_error(run("audit", "--config", str(tmp_path / "bad.toml"), cwd=tmp_path),
                          "unknown key 'subscriptionz'")


def test_bad_as_of(tmp_path: Path) -> None:
    assert_one_line_error(run("audit", "--config", str(tmp_path / "none.toml"), "--as-of", "yesterday",
                              cwd=tmp_path), "not found")


def test_help_works() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("audit", "decommission", "inventory", "demo", "emulator"):
        assert command in proc.stdout


def test_an_error_line_quoting_hostile_text_carries_no_escape_sequence(tmp_path: Path) -> None:
    proc = run("audit", "--estate", str(tmp_path / "e\x1b[2J\x1b]8;;https://evil.example\x07x\u202e"), cwd=tmp_path)
    assert_one_line_error(proc, "estate directory not found")
    assert "\x1b" not in proc.stderr and "\u202e" not in proc.stderr and "\x07" not in proc.stderr
    assert "\\x1b[2J" in proc.stderr
