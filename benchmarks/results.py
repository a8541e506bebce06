"""What a scenario found: one printed line, one JSON record in results/<date>.jsonl."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    scale: float
    summary: str                       # the one line printed
    data: dict[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def line(self) -> str:
        failed = [c for c in self.checks if not c.passed]
        verdict = "ok" if not failed else "FAILED " + "; ".join(f"{c.name}: {c.detail}" for c in failed)
        return f"{self.scenario} (scale {self.scale:g}): {self.summary} [{verdict}]"

    def record(self, when: datetime) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "scale": self.scale, "at": when.isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "passed": self.passed,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
            **self.data,
        }


def append_record(result: ScenarioResult, results_dir: Path = RESULTS_DIR) -> Path:
    when = datetime.now(UTC)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{when.date().isoformat()}.jsonl"
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(result.record(when), sort_keys=True) + "\n")
    return path


def rounded(values: dict[str, float], digits: int = 3) -> dict[str, float]:
    return {k: round(v, digits) for k, v in values.items()}
