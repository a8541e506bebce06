"""The all-hang benchmark scenario through its entry point, on a tiny estate: with every
service hanging, the audit ends within the deadline plus a small margin and its gaps
name everything (the scenario's own checks say so)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_all_hang_ends_at_the_deadline_and_names_everything(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--scenario", "all-hang", "--scale", "0.02",
         "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("[ok]"), done.stdout
    [record_file] = tmp_path.glob("*.jsonl")
    [record] = [json.loads(line) for line in record_file.read_text().splitlines()]
    names = {c["name"] for c in record["checks"] if c["passed"]}
    assert {"ends within the deadline", "every vault named", "every site named", "Graph named",
            "with Resource Graph hung too: the scope named"} <= names
    assert record["audit_seconds"] <= record["deadline_seconds"] + record["margin_seconds"]
