"""throttled: Resource Graph and ARM answer their first requests with 429 and Retry-After.
The audit must finish with nothing missing, retry each throttled call once it was told
to, no sooner (not hammering), and take the waits on its critical path longer."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from auditor.estate.builder import Fault, build_estate
from benchmarks.completeness import completeness_checks
from benchmarks.emulator_host import ServedLog
from benchmarks.estate import EstateSize, large_estate_spec
from benchmarks.graph_quota import describe
from benchmarks.large_estate import LATENCY
from benchmarks.measure import measured_audit
from benchmarks.results import Check, ScenarioResult

NAME = "throttled"
CONCURRENCY = 8           # fixed, so the ARM fault below throttles every call of the first wave
GRAPH_FAULT = Fault(service="arg", match="Microsoft.ResourceGraph", status=429, times=2, retry_after=2)
# App Service calls, which arrive from many sites at once: each throttled call waits while
# the others go on. (A fault on the subscription list, the run's one first call, would
# answer its own retries until `times` ran out.)
ARM_FAULT = Fault(service="arm", match="/providers/Microsoft.Web/sites/", status=429, times=CONCURRENCY,
                  retry_after=1)
TOLERANCE = 0.05          # seconds: the two log time stamps are taken on different loops


def run(scale: float, workdir: Path) -> ScenarioResult:
    size = EstateSize.at_scale(scale)
    plain = build_estate(large_estate_spec(size), workdir / f"{NAME}-baseline")
    spec = large_estate_spec(size, faults=(GRAPH_FAULT, ARM_FAULT))
    throttled_estate = build_estate(spec, workdir / NAME)
    collect = {"concurrency": CONCURRENCY}
    baseline = measured_audit(plain, collect=collect, latency=LATENCY)
    audit = measured_audit(throttled_estate, collect=collect, latency=LATENCY)

    checks = completeness_checks(audit.outcome, spec)
    # Sequential waits: two on the first page of the one Resource Graph query, then at least
    # one in the collectors, which start only once that page has brought their rows.
    floor = 2 * (GRAPH_FAULT.retry_after or 0) + (ARM_FAULT.retry_after or 0)
    checks.append(Check("the waits are in the total time", audit.seconds >= floor,
                        f"{audit.seconds:.1f} s with {floor:g} s of sequential waits"))
    waits: dict[str, list[float]] = {}
    for fault in (GRAPH_FAULT, ARM_FAULT):
        service = fault.service
        throttled, waited = waits_after_429(audit.log, service)
        waits[service] = waited
        checks.append(Check(f"{service}: every planned 429 answered", throttled == fault.times,
                            f"{throttled} of {fault.times}"))
        retry_after = fault.retry_after or 0
        shortest = min(waited, default=0.0)
        checks.append(Check(f"{service}: every 429 retried, after Retry-After",
                            len(waited) == throttled and shortest >= retry_after - TOLERANCE,
                            f"{len(waited)} retried, shortest wait {shortest:.2f} s, Retry-After {retry_after:g} s"))
        more = audit.requests.get(service, 0) - baseline.requests.get(service, 0)
        checks.append(Check(f"{service}: one extra request per 429", more == throttled,
                            f"{more} extra requests for {throttled} answers of 429"))
    summary = (f"audit {audit.seconds:.1f} s (at least {floor:g} s of it waiting on its critical path) "
               f"vs {baseline.seconds:.1f} s unthrottled; "
               + ", ".join(f"{s}: {len(w)} retries, shortest wait {min(w, default=0):.2f} s"
                           for s, w in waits.items())
               + f"; {len(audit.outcome.report.gaps)} gaps; {describe(audit.graph)}")
    return ScenarioResult(NAME, scale, summary, checks=tuple(checks), data={
        "faults": [asdict(GRAPH_FAULT), asdict(ARM_FAULT)],
        "audit_seconds": round(audit.seconds, 3), "baseline_seconds": round(baseline.seconds, 3),
        "sequential_wait_seconds": floor,
        "waits_after_429": {s: [round(w, 3) for w in ws] for s, ws in waits.items()},
        "requests": audit.requests, "baseline_requests": baseline.requests,
        "resource_graph": audit.graph, "baseline_resource_graph": baseline.graph,
    })


def waits_after_429(log: ServedLog, service: str) -> tuple[int, list[float]]:
    """How many requests got 429, and for each that was asked again, the seconds between
    the 429 and the answer to the next request for the same URL (which includes the
    emulator's latency: it can only overstate the client's wait, by that much)."""
    entries = log.entries(service)
    throttled = 0
    waited: list[float] = []
    for i, entry in enumerate(entries):
        if entry.status != "fault:429":
            continue
        throttled += 1
        again = next((e for e in entries[i + 1:] if e.key == entry.key), None)
        if again is not None:
            waited.append(again.at - entry.at)
    return throttled, waited
