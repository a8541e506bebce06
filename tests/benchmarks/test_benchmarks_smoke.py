"""The benchmark entry point, run as `make bench` runs it, on a tiny estate: so the
benchmark code cannot rot unnoticed."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_large_estate_scenario_runs_completely_and_records_its_numbers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--scenario", "large-estate", "--scale", "0.02",
         "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("large-estate (scale 0.02): audit ") and done.stdout.rstrip().endswith("[ok]")
    [record_file] = tmp_path.glob("*.jsonl")
    [record] = [json.loads(line) for line in record_file.read_text().splitlines()]
    assert record["scenario"] == "large-estate" and record["passed"] is True
    assert {c["name"] for c in record["checks"]} >= {"no coverage gaps", "all Key Vault certificates",
                                                      "all TLS endpoints probed"}
    assert set(record["stages"]) == {"resource_graph", "arm_collectors", "key_vault", "azure_collectors", "logs",
                                     "dns", "tls", "analysis"}
    assert all(seconds >= 0 for seconds in record["stages"].values())
    assert record["requests"]["arg"] >= 1
    assert record["requests"]["keyvault"] >= record["sizes"]["certificates"]   # each read at least once
    assert 1 <= record["peak_in_flight"]["bounded"] <= record["concurrency"]
    assert record["counts"]["certificates"] >= record["sizes"]["certificates"]
    # Azure's default limits are on: Resource Graph's queries against the quota floor, no 429 met.
    graph = record["resource_graph"]
    assert graph["queries"] == record["requests"]["arg"] and graph["throttled"] == 0
    assert graph["quota_per_5s"] == 15 and graph["floor_seconds"] == round(graph["queries"] / 15 * 5, 3)
    assert "resource graph " in done.stdout and " 429s, " in done.stdout


def test_bad_scale_is_one_clear_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--scale", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "--scale must be above 0" in done.stderr and "Traceback" not in done.stderr
