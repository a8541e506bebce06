"""large-estate: one audit of the full-size estate with realistic latency: wall time per
stage against the floor Azure's limits set, requests per service, the most requests in
flight, peak memory, and proof nothing was missed."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from auditor.collect.limits import auto_concurrency
from benchmarks.build_point import expected_path
from benchmarks.completeness import Expected, completeness_checks
from benchmarks.estate import SUBSCRIPTIONS, EstateSize
from benchmarks.floors import Bounds, audit_floor, ratios, stage_floors
from benchmarks.graph_quota import describe
from benchmarks.measure import measured_audit
from benchmarks.memory import peak_mb, reset_peak
from benchmarks.results import Check, ScenarioResult, rounded

NAME = "large-estate"
# Round trips as seen from a VM in the same region; the DNS and TLS ones stay small.
LATENCY = {"arm": 0.02, "arg": 0.05, "keyvault": 0.02, "dns": 0.002, "tls": 0.005}


def _build_apart(scale: float, bulk_scale: float, estate: Path) -> Path:
    """The estate, built by a process of its own (benchmarks/build_point.py)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.build_point", str(scale), str(bulk_scale), str(estate)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"building the estate failed: {done.stderr.strip().splitlines()[-1:]}")
    return estate


def run(scale: float, workdir: Path, *, bulk_scale: float | None = None) -> ScenarioResult:
    size = EstateSize.at_scale(scale, bulk_scale)
    started = time.monotonic()
    estate = _build_apart(scale, bulk_scale if bulk_scale is not None else scale, workdir / NAME)
    build_seconds = time.monotonic() - started

    # collect.concurrency is left at its default: sized from the subscriptions and vaults.
    audit_only = reset_peak()
    audit = measured_audit(estate, latency=LATENCY)
    peak_rss_mb = peak_mb()
    expected = Expected.load(expected_path(estate))       # read after the peak: not the audit's
    bound = auto_concurrency(len(SUBSCRIPTIONS), size.vaults)
    collect = audit.config.collect
    floors = stage_floors(audit.log, LATENCY, Bounds(azure=bound, dns=collect.dns_concurrency,
                                                     tls=collect.tls_concurrency, vaults=size.vaults))
    floor = audit_floor(floors)
    counts = audit.outcome.report.counts
    bounded = audit.peak_in_flight.get("bounded", 0)
    checks = completeness_checks(audit.outcome, expected)
    checks.append(Check("in flight within collect.concurrency", 0 < bounded <= bound,
                        f"peak {bounded}, bound {bound}"))
    stages = rounded(audit.stages, 2)
    summary = (f"audit {audit.seconds:.1f} s = {audit.seconds / floor:.2f}x the {floor:.1f} s floor "
               f"(graph {stages['resource_graph']}, collectors {stages['azure_collectors']} "
               f"[arm {stages['arm_collectors']}, keyvault {stages['key_vault']}], dns {stages['dns']}, "
               f"tls {stages['tls']}, analysis {stages['analysis']}; render json "
               f"{audit.render_seconds['json']:.2f}, html {audit.render_seconds['html']:.2f}); "
               f"peak RSS {peak_rss_mb:.0f} MB; "
               f"{sum(audit.requests.values())} requests {_services(audit.requests)}; "
               f"peak in flight {bounded}/{bound}; "
               f"{counts['certificates']} certificates, {counts['custom_domains']} domains, "
               f"{counts['endpoints_probed']} endpoints, {len(audit.outcome.report.findings)} findings; "
               f"{describe(audit.graph)}")
    return ScenarioResult(NAME, scale, summary, checks=tuple(checks), data={
        "sizes": {**asdict(size), "certificates": size.certificates},
        "bulk_scale": bulk_scale if bulk_scale is not None else scale,
        "resources": counts.get("resources", len(audit.outcome.inventory.resources)),
        "build_seconds": round(build_seconds, 3),
        "audit_seconds": round(audit.seconds, 3),
        "stages": rounded(audit.stages),
        "analysis_cpu_seconds": round(audit.analysis_cpu, 3),
        "floors": rounded(floors),
        "audit_floor": round(floor, 3),
        "floor_ratios": ratios(audit.stages, floors),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "memory_by_stage": audit.memory_by_stage,
        "peak_rss_covers": "audit and rendering" if audit_only else "estate build, audit and rendering",
        "render_seconds": rounded(audit.render_seconds),
        "render_bytes": audit.render_bytes,
        "requests": audit.requests,
        "peak_in_flight": audit.peak_in_flight,
        "concurrency": bound,
        "latency": LATENCY,
        "counts": counts,
        "findings": len(audit.outcome.report.findings),
        "resource_graph": audit.graph,
    })


def _services(requests: dict[str, int]) -> str:
    return "(" + ", ".join(f"{s} {n}" for s, n in sorted(requests.items())) + ")"
