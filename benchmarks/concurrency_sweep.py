"""concurrency-sweep: the same estate with latency on, audited at collect.concurrency
1, 4, 16 and 32: the speed-up, and that the emulator never serves more of the bounded
calls (ARM, Key Vault, Graph) at once than the configured limit."""

from __future__ import annotations

from pathlib import Path

from auditor.estate.builder import build_estate
from benchmarks.completeness import completeness_checks
from benchmarks.estate import EstateSize, large_estate_spec
from benchmarks.graph_quota import describe
from benchmarks.large_estate import LATENCY
from benchmarks.measure import measured_audit
from benchmarks.results import Check, ScenarioResult, rounded

NAME = "concurrency-sweep"
LIMITS = (1, 4, 16, 32)


def run(scale: float, workdir: Path, limits: tuple[int, ...] = LIMITS) -> ScenarioResult:
    spec = large_estate_spec(EstateSize.at_scale(scale))
    estate = build_estate(spec, workdir / NAME)
    runs: list[dict[str, object]] = []
    checks: list[Check] = []
    baseline: float | None = None
    graph_lines: list[str] = []
    for limit in limits:
        audit = measured_audit(estate, collect={"concurrency": limit}, latency=LATENCY)
        peak = audit.peak_in_flight.get("bounded", 0)
        checks.append(Check(f"concurrency {limit}: in flight within bound", 0 < peak <= limit,
                            f"peak {peak}"))
        checks += [Check(f"concurrency {limit}: {c.name}", c.passed, c.detail)
                   for c in completeness_checks(audit.outcome, spec) if not c.passed]
        collect = audit.stages["resource_graph"] + audit.stages["azure_collectors"]
        baseline = baseline if baseline is not None else collect
        runs.append({"concurrency": limit, "audit_seconds": round(audit.seconds, 3),
                     "azure_seconds": round(collect, 3), "speedup": round(baseline / collect, 2),
                     "peak_in_flight": peak, "requests": audit.requests, "stages": rounded(audit.stages),
                     "resource_graph": audit.graph})
        graph_lines.append(describe(audit.graph))
    summary = "; ".join(f"c={r['concurrency']}: audit {r['audit_seconds']:.1f} s, Azure collection "
                        f"{r['azure_seconds']:.1f} s (x{r['speedup']}), peak {r['peak_in_flight']}, {line}"
                        for r, line in zip(runs, graph_lines, strict=True))
    return ScenarioResult(NAME, scale, summary, checks=tuple(checks),
                          data={"latency": LATENCY, "runs": runs})
