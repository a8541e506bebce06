"""Every number in [collect] is range-checked: one clear line, exit 2, never a traceback
or a run that hangs (inf), reads nothing (0) or fails inside a library (-2)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.config import COLLECT_RANGES, parse_config
from auditor.errors import ConfigError

BAD = [
    ("concurrency", 0), ("concurrency", -3), ("request_timeout_seconds", 0),
    ("request_timeout_seconds", -1), ("request_timeout_seconds", math.nan), ("retries", -5),
    ("dns_timeout_seconds", 0), ("subscription_batch", 0), ("subscription_batch", 1001),
    ("max_retry_wait_seconds", math.inf), ("tls_timeout_seconds", -2), ("deadline_seconds", 0),
    ("dns_concurrency", 0), ("tls_concurrency", -1), ("deadline_seconds", math.inf),
]


@pytest.mark.parametrize(("key", "value"), BAD)
def test_out_of_range_is_a_config_error(key: str, value: float) -> None:
    with pytest.raises(ConfigError, match=f"collect.{key} must be"):
        parse_config({"collect": {key: value}})


def test_every_collect_number_is_checked_and_defaults_pass() -> None:
    config = parse_config({})
    numeric = {name for name, value in vars(config.collect).items()
               if isinstance(value, int | float) and not isinstance(value, bool)}
    assert numeric == set(COLLECT_RANGES)
    assert config.collect.deadline_seconds > 0


def test_edges_inside_the_range_are_accepted() -> None:
    config = parse_config({"collect": {"retries": 0, "max_retry_wait_seconds": 0, "concurrency": 1,
                                       "request_timeout_seconds": 0.5, "deadline_seconds": 1}})
    assert config.collect.retries == 0 and config.collect.request_timeout_seconds == 0.5


@pytest.mark.parametrize(("line", "needle"), [
    ("tls_timeout_seconds = -2", "collect.tls_timeout_seconds must be more than 0"),
    ("request_timeout_seconds = nan", "collect.request_timeout_seconds must be more than 0"),
    ("max_retry_wait_seconds = inf", "collect.max_retry_wait_seconds must be at least 0 and at most 3600"),
    ("concurrency = 0", "collect.concurrency must be at least 1"),
])
def test_through_the_cli_one_line_exit_2(tmp_path: Path, line: str, needle: str) -> None:
    (tmp_path / "auditor.toml").write_text(f"[collect]\n{line}\n")
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--config", str(tmp_path / "auditor.toml")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("auditor: error:"), proc.stderr
    assert needle in lines[0]
    assert str(tmp_path / "auditor.toml") in lines[0]
