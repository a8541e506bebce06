"""`python -m benchmarks.run [--scenario NAME] [--scale X]`: run the benchmarks, print one
line per scenario, append a JSON record per scenario to benchmarks/results/<date>.jsonl.
Exits 1 when a scenario's checks fail, 2 on bad usage."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from auditor.errors import AuditorError
from benchmarks import all_hang, concurrency_sweep, large_estate, live_traffic, throttled
from benchmarks.results import RESULTS_DIR, ScenarioResult, append_record

Scenario = Callable[[float, Path], ScenarioResult]

# name -> (run, default scale): defaults keep each scenario to a minute or two on 2 cores.
SCENARIOS: dict[str, tuple[Scenario, float]] = {
    large_estate.NAME: (large_estate.run, 1.0),
    concurrency_sweep.NAME: (concurrency_sweep.run, 0.5),
    throttled.NAME: (throttled.run, 0.5),
    live_traffic.NAME: (live_traffic.run, 1.0),
    all_hang.NAME: (all_hang.run, 0.1),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                        help="run only this scenario (repeatable); default: all")
    parser.add_argument("--scale", type=float, default=None,
                        help="estate size relative to the full one (1.0: 2,500 resources, 500 certificates); "
                             "default: each scenario's own")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR,
                        help="where <date>.jsonl records are appended")
    args = parser.parse_args(argv)
    if args.scale is not None and not 0 < args.scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    failed = False
    for name in args.scenario or list(SCENARIOS):
        run, default_scale = SCENARIOS[name]
        with tempfile.TemporaryDirectory(prefix=f"auditor-bench-{name}-") as workdir:
            try:
                result = run(args.scale if args.scale is not None else default_scale, Path(workdir))
            except AuditorError as exc:
                print(f"{name}: error: {exc}", file=sys.stderr)
                return 2
        append_record(result, args.results_dir)
        print(result.line(), flush=True)
        failed = failed or not result.passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
