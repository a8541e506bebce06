"""Resource Graph against its quota: how many queries a run asked, how many 429s it met, and
how long Resource Graph took against the floor the quota sets (queries / quota x 5 s: the
least time that many queries can take without being throttled)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.estate.limits import parse_limits
from benchmarks.emulator_host import ServedLog

WINDOW_SECONDS = 5.0


def graph_quota(log: ServedLog, estate: Path, graph_seconds: float) -> dict[str, Any]:
    # estate.json alone: loading the whole estate here would count its 100,000 objects in the
    # audit's peak memory, which is read after this.
    meta = json.loads((estate / "estate.json").read_text())
    quota = parse_limits(meta.get("limits"), str(estate / "estate.json")).arg_queries_per_5s
    served = log.entries("arg")
    return {
        "queries": len(served),
        "throttled": sum(1 for e in served if e.status.endswith("429")),
        "quota_per_5s": quota,
        "seconds": round(graph_seconds, 3),
        "floor_seconds": round(len(served) / quota * WINDOW_SECONDS, 3),
    }


def describe(graph: dict[str, Any]) -> str:
    return (f"resource graph {graph['queries']} queries, {graph['throttled']} 429s, "
            f"{graph['seconds']:.1f} s against a quota floor of {graph['floor_seconds']:.1f} s "
            f"({graph['quota_per_5s']} per 5 s)")
