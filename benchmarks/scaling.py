"""scaling: the large-estate audit at four sizes (by default S = 1, 2, 4, 8), each in a fresh
process; fits how every stage's time and the peak memory grow with S (t ~ S^k) and fails
when any k exceeds 1.15. Prints each size's stages as multiples of the floor Azure's
limits set (benchmarks/floors.py).

A stage held at Azure's limit grows as that limit does, and a limit need not be linear:
ARM's bucket lets a subscription's first 250 reads through at once and the rest at 25 a
second, so its floor is zero at S=1 and (reads - 250) / 25 above, faster than S over
S = 1 to 8. Such a stage also passes when its time over its floor does not grow
(exponent of the ratio at most 0.15): what the audit adds to Azure's limit stays linear."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError
from benchmarks.results import Check, ScenarioResult

NAME = "scaling"
DEFAULT_LARGEST = 8.0
STEPS = (1 / 8, 1 / 4, 1 / 2, 1.0)       # of the largest size
MAX_EXPONENT = 1.15
MAX_RATIO_EXPONENT = 0.15
STAGES = ("resource_graph", "arm_collectors", "key_vault", "azure_collectors", "dns", "tls", "analysis")
# Below this a stage is start-up cost and timer noise, not growth: left out of the fit.
MIN_FITTED_SECONDS = 0.05
POINT_TIMEOUT = 3600.0


def run(scale: float, workdir: Path, *, bulk_scale: float | None = None) -> ScenarioResult:
    points: list[dict[str, Any]] = []
    for step in STEPS:
        size = scale * step
        bulk = (bulk_scale if bulk_scale is not None else scale) * step
        point = _measure(size, bulk, workdir / f"s{size:g}")
        points.append(point)
        print(_point_line(point), flush=True)
    sizes = [p["scale"] for p in points]
    exponents = {stage: growth(sizes, [p["stages"][stage] for p in points]) for stage in STAGES}
    # The analysis is pure CPU: fitted on its CPU seconds, which the neighbours cannot inflate.
    exponents["analysis"] = growth(sizes, [p["analysis_cpu_seconds"] for p in points])
    exponents["audit"] = growth(sizes, [p["audit_seconds"] for p in points])
    exponents["peak_rss"] = growth(sizes, [p["peak_rss_mb"] for p in points])
    floor_growth = {stage: ratio_growth(sizes, points, stage) for stage in (*STAGES, "audit")}
    checks = [growth_check(name, k, floor_growth.get(name)) for name, k in exponents.items()]
    checks += [Check(f"S={p['scale']:g} complete", p["passed"], p["line"]) for p in points]
    last = points[-1]
    summary = ("exponents " + ", ".join(f"{n} {_fmt(k)}" for n, k in exponents.items())
               + f"; at S={last['scale']:g}: audit {last['audit_seconds']:.1f} s = "
                 f"{last['audit_seconds'] / last['audit_floor']:.2f}x floor, peak RSS {last['peak_rss_mb']:.0f} MB")
    return ScenarioResult(NAME, scale, summary, checks=tuple(checks), data={
        "exponents": {n: (round(k, 3) if k is not None else None) for n, k in exponents.items()},
        "ratio_exponents": {n: (round(k, 3) if k is not None else None) for n, k in floor_growth.items()},
        "max_exponent": MAX_EXPONENT,
        "points": [{k: v for k, v in p.items() if k != "line"} for p in points],
    })


def growth(sizes: list[float], values: list[float], minimum: float = MIN_FITTED_SECONDS) -> float | None:
    """Least-squares slope of log(value) on log(size); None when the values are too small to fit."""
    pairs = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v >= minimum and v > 0]
    if len(pairs) < 2:
        return None
    mean_x = sum(x for x, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    var = sum((x - mean_x) ** 2 for x, _ in pairs)
    if var == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in pairs) / var


def ratio_growth(sizes: list[float], points: list[dict[str, Any]], stage: str) -> float | None:
    """How the stage's time over its floor grows with S, over the sizes where Azure sets one."""
    fitted: list[float] = []
    ratios: list[float] = []
    for size, point in zip(sizes, points, strict=True):
        seconds, floor = _seconds_and_floor(point, stage)
        if floor > 0 and seconds >= MIN_FITTED_SECONDS:
            fitted.append(size)
            ratios.append(seconds / floor)
    return growth(fitted, ratios, minimum=0.0)


def _seconds_and_floor(point: dict[str, Any], stage: str) -> tuple[float, float]:
    if stage == "audit":
        return point["audit_seconds"], point["audit_floor"]
    return point["stages"][stage], point.get("floors", {}).get(stage, 0.0)


def growth_check(name: str, k: float | None, k_ratio: float | None) -> Check:
    if k is None:
        return Check(f"{name} grows at most S^{MAX_EXPONENT}", True, "too small to fit")
    detail = f"exponent {k:.2f}"
    if k <= MAX_EXPONENT:
        return Check(f"{name} grows at most S^{MAX_EXPONENT}", True, detail)
    if k_ratio is None:
        return Check(f"{name} grows at most S^{MAX_EXPONENT}", False, detail + ", no floor to hold it")
    return Check(f"{name} grows at most S^{MAX_EXPONENT} or as Azure's floor does",
                 k_ratio <= MAX_RATIO_EXPONENT, f"{detail}; over its floor {k_ratio:.2f}")


def _measure(scale: float, bulk_scale: float, workdir: Path) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "benchmarks.scaling_point", str(scale), str(bulk_scale),
                           str(workdir)], cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                          text=True, timeout=POINT_TIMEOUT, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise AuditorError(f"scaling point S={scale:g} failed (exit {done.returncode}): {error}")
    record: dict[str, Any] = json.loads(lines[-1])
    record["scale"] = scale
    return record


def _point_line(point: dict[str, Any]) -> str:
    ratios = point["floor_ratios"]
    parts = [f"{s} {point['stages'][s]:.2f} s" + (f" ({ratios[s]:.1f}x)" if ratios.get(s) else "")
             for s in STAGES]
    return (f"  S={point['scale']:g} ({point['resources']} resources): audit {point['audit_seconds']:.1f} s "
            f"= {point['audit_seconds'] / point['audit_floor']:.2f}x the {point['audit_floor']:.1f} s floor; "
            + ", ".join(parts) + f" (CPU {point['analysis_cpu_seconds']:.2f} s); peak RSS {point['peak_rss_mb']:.0f} MB")


def _fmt(k: float | None) -> str:
    return f"{k:.2f}" if k is not None else "-"
