"""large-estate: one audit of the full-size estate with realistic latency: wall time per
stage, requests per service, the most requests in flight, and proof nothing was missed."""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

from auditor.estate.builder import build_estate
from benchmarks.completeness import completeness_checks
from benchmarks.estate import EstateSize, large_estate_spec
from benchmarks.graph_quota import describe
from benchmarks.measure import measured_audit
from benchmarks.results import Check, ScenarioResult, rounded

NAME = "large-estate"
# Round trips as seen from a VM in the same region; the DNS and TLS ones stay small.
LATENCY = {"arm": 0.02, "arg": 0.05, "keyvault": 0.02, "dns": 0.002, "tls": 0.005}
CONCURRENCY = 8


def run(scale: float, workdir: Path) -> ScenarioResult:
    size = EstateSize.at_scale(scale)
    spec = large_estate_spec(size)
    started = time.monotonic()
    estate = build_estate(spec, workdir / NAME)
    build_seconds = time.monotonic() - started

    audit = measured_audit(estate, collect={"concurrency": CONCURRENCY}, latency=LATENCY)
    counts = audit.outcome.report.counts
    bounded = audit.peak_in_flight.get("bounded", 0)
    checks = completeness_checks(audit.outcome, spec)
    checks.append(Check("in flight within collect.concurrency", 0 < bounded <= CONCURRENCY,
                        f"peak {bounded}, bound {CONCURRENCY}"))
    stages = rounded(audit.stages, 2)
    summary = (f"audit {audit.seconds:.1f} s "
               f"(graph {stages['resource_graph']}, collectors {stages['azure_collectors']} "
               f"[arm {stages['arm_collectors']}, keyvault {stages['key_vault']}], dns {stages['dns']}, "
               f"tls {stages['tls']}, analysis {stages['analysis']}; render json "
               f"{audit.render_seconds['json']:.2f}, html {audit.render_seconds['html']:.2f}); "
               f"{sum(audit.requests.values())} requests {_services(audit.requests)}; "
               f"peak in flight {bounded}/{CONCURRENCY}; "
               f"{counts['certificates']} certificates, {counts['custom_domains']} domains, "
               f"{counts['endpoints_probed']} endpoints, {len(audit.outcome.report.findings)} findings; "
               f"{describe(audit.graph)}")
    return ScenarioResult(NAME, scale, summary, checks=tuple(checks), data={
        "sizes": {**asdict(size), "certificates": size.certificates},
        "build_seconds": round(build_seconds, 3),
        "audit_seconds": round(audit.seconds, 3),
        "stages": rounded(audit.stages),
        "render_seconds": rounded(audit.render_seconds),
        "render_bytes": audit.render_bytes,
        "requests": audit.requests,
        "peak_in_flight": audit.peak_in_flight,
        "concurrency": CONCURRENCY,
        "latency": LATENCY,
        "counts": counts,
        "findings": len(audit.outcome.report.findings),
        "resource_graph": audit.graph,
    })


def _services(requests: dict[str, int]) -> str:
    return "(" + ", ".join(f"{s} {n}" for s, n in sorted(requests.items())) + ")"
