"""The terminal table: coloured by severity only where the terminal wants colour, as wide as the
terminal, and host names never broken inside a label."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli.terminal import terminal_style
from auditor.model.common import Severity
from auditor.model.report import Report
from auditor.report import render

from .factories import finding, report, sample_report

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG_HOST = "_dnsauth.shop.contoso-legacy.net"
VERY_LONG = "a-rather-long-label.with-another-long-label.and-one-more-label.contoso-legacy.net"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _report() -> Report:
    return report([
        finding("retired-domain-in-use", Severity.CRITICAL, LONG_HOST, title="still used by a Front Door rule"),
        finding("dangling-dns", Severity.HIGH, VERY_LONG, title="points at a deleted app"),
        finding("tls-weak-protocol", Severity.INFO, "www.contoso.com", title="accepts TLS 1.1"),
    ])


def test_colour_follows_severity_and_only_when_asked() -> None:
    coloured = render(_report(), "table", color=True)
    critical = next(line for line in coloured.splitlines() if "retired-domain-in-use" in line)
    assert "\x1b[1;31m" in critical          # bold red
    high = next(line for line in coloured.splitlines() if "dangling-dns" in line)
    assert "\x1b[31m" in high                # red
    info = next(line for line in coloured.splitlines() if "tls-weak-protocol" in line)
    assert "\x1b[2m" in info                 # dim
    assert not ANSI.search(render(_report(), "table", color=False))


@pytest.mark.parametrize(("environ", "no_color", "stream", "expected"), [
    ({"TERM": "xterm-256color"}, False, Tty(), True),
    ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False, Tty(), False),   # https://no-color.org
    ({"TERM": "xterm-256color", "NO_COLOR": ""}, False, Tty(), True),     # empty means unset
    ({"TERM": "xterm-256color"}, True, Tty(), False),                     # --no-color
    ({"TERM": "dumb"}, False, Tty(), False),
    ({"TERM": "xterm-256color"}, False, io.StringIO(), False),            # a pipe
])
def test_colour_only_on_a_terminal_that_wants_it(environ: dict[str, str], no_color: bool, stream: io.StringIO,
                                                  expected: bool) -> None:
    assert terminal_style(None, no_color, stream, environ)[0] is expected


def test_colour_never_goes_into_a_file() -> None:
    assert terminal_style(Path("out.txt"), False, Tty(), {"TERM": "xterm"})[0] is False


def test_width_is_the_terminals() -> None:
    assert terminal_style(None, False, Tty(), {"COLUMNS": "87"})[1] == 87
    assert terminal_style(None, False, io.StringIO(), {})[1] == 120
    assert terminal_style(None, False, Tty(), {"COLUMNS": "10"})[1] == 60   # the narrowest it draws


@pytest.mark.parametrize("width", [60, 80, 100, 140, 200])
def test_tables_fill_the_width_and_never_exceed_it(width: int) -> None:
    for text in (render(_report(), "table", width=width), render(sample_report(), "table", width=width)):
        lengths = [len(line.rstrip()) for line in text.splitlines()]
        assert max(lengths) <= width
        assert width in [len(line) for line in text.splitlines() if line.startswith("┏")]


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_host_names_stay_whole_or_break_only_between_labels(width: int) -> None:
    text = render(_report(), "table", width=width)
    cells = [part.strip() for line in text.splitlines() for part in line.split("│") if part.strip()]
    assert LONG_HOST in cells                    # it fits every width: never broken at all
    for label in VERY_LONG.split("."):           # too long for narrow ones: every label whole
        assert any(label in cell for cell in cells), (width, label)
    pieces = [c for c in cells if c in VERY_LONG and c != VERY_LONG]
    assert all(p.endswith(".") for p in pieces[:-1])


def test_the_audit_command_uses_the_terminal_width(tmp_path: Path) -> None:
    from auditor.estate.demo import build_demo

    estate = build_demo(tmp_path / "estate")
    env = {**os.environ, "COLUMNS": "90"}
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "--no-history", "-q"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode in (1, 3), proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= 90
    assert "shop.contoso-legacy.net" in proc.stdout and not ANSI.search(proc.stdout)
