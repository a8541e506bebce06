"""all-hang: every service answers nothing, ever. The audit must end within
`collect.deadline_seconds` plus a small margin, and write a report whose gaps name
everything it could not read.

Two audits of the same estate, both with a request timeout longer than the deadline, so
only the deadline can end them:
- everything but Resource Graph hangs (ARM, Key Vault, Graph, DNS, TLS): the gaps must
  name every vault, every site and every Front Door profile Resource Graph listed;
- Resource Graph hangs too: nothing was listed, so the gap must name the whole scope.
"""

from __future__ import annotations

import time
from pathlib import Path

from auditor.config import parse_config
from auditor.core.environment import Environment
from auditor.core.pipeline import run_audit
from auditor.estate.builder import Fault, build_estate
from auditor.model.common import Source
from auditor.model.report import Report
from auditor.report import render
from benchmarks.emulator_host import EmulatorProcess
from benchmarks.estate import SUBSCRIPTIONS, EstateSize, large_estate_spec
from benchmarks.results import Check, ScenarioResult

NAME = "all-hang"
DEADLINE_SECONDS = 8.0
MARGIN_SECONDS = 5.0            # collection stops at the deadline; then analysis and the report
HANG = tuple(Fault(service=s, match="", status="timeout") for s in ("arm", "keyvault", "graph", "dns", "tls"))
HANG_ALL = (*HANG, Fault(service="arg", match="", status="timeout"))


def _config() -> dict[str, object]:
    return {
        "scope": {"subscriptions": [s.id for s in SUBSCRIPTIONS]},
        "collect": {"request_timeout_seconds": 60, "retries": 2, "deadline_seconds": DEADLINE_SECONDS},
        "history": {"enabled": False},
    }


def _audit(estate: Path) -> tuple[Report, float]:
    config = parse_config(_config())
    with EmulatorProcess(estate, {}) as endpoints:
        env = Environment(config=config, network=endpoints.network(), as_of=endpoints.as_of,
                          tenant_id=endpoints.tenant_id, estate=estate)
        started = time.monotonic()
        report = run_audit(env).report
        render(report, "json")           # the report is still written
        seconds = time.monotonic() - started
    return report, seconds


def run(scale: float, workdir: Path) -> ScenarioResult:
    size = EstateSize.at_scale(scale)
    spec = large_estate_spec(size, faults=HANG)
    report, seconds = _audit(build_estate(spec, workdir / NAME))
    spec_all = large_estate_spec(size, faults=HANG_ALL)
    report_all, seconds_all = _audit(build_estate(spec_all, workdir / f"{NAME}-graph"))

    limit = DEADLINE_SECONDS + MARGIN_SECONDS
    named = {g.target.lower() for g in report.gaps}
    vaults = {v.name.lower() for v in spec.vaults}
    sites = {s.name.lower() for s in spec.sites}
    profiles = {fd.name.lower() for fd in spec.front_doors}
    unnamed_vaults = sorted(vaults - named)
    unnamed_sites = sorted(s for s in sites if not any(t.endswith(f"/sites/{s}") for t in named))
    unnamed_profiles = sorted(p for p in profiles if not any(f"/profiles/{p}" in t for t in named))
    graph_gap = any(g.source is Source.GRAPH for g in report.gaps)
    scope_named = {s.id.lower() for s in SUBSCRIPTIONS} <= {
        sub for g in report_all.gaps if g.source is Source.ARG for sub in g.target.lower().split(",")}
    checks = (
        Check("ends within the deadline", seconds <= limit,
              f"{seconds:.1f} s, deadline {DEADLINE_SECONDS:g} s + {MARGIN_SECONDS:g} s"),
        Check("incomplete, never silently complete", not report.complete and not report_all.complete,
              f"{len(report.gaps)} and {len(report_all.gaps)} gaps"),
        Check("every vault named", not unnamed_vaults, f"unnamed: {unnamed_vaults[:3]}" if unnamed_vaults
              else f"{len(vaults)} vaults"),
        Check("every site named", not unnamed_sites, f"unnamed: {unnamed_sites[:3]}" if unnamed_sites
              else f"{len(sites)} sites"),
        Check("every Front Door profile named", not unnamed_profiles, f"unnamed: {unnamed_profiles}"
              if unnamed_profiles else f"{len(profiles)} profiles"),
        Check("Graph named", graph_gap, "a graph gap" if graph_gap else "no graph gap"),
        Check("with Resource Graph hung too: ends within the deadline", seconds_all <= limit,
              f"{seconds_all:.1f} s"),
        Check("with Resource Graph hung too: the scope named", scope_named,
              ", ".join(sorted(f"{g.source.value} {g.target}" for g in report_all.gaps))[:200]),
    )
    summary = (f"everything but Resource Graph hung: {seconds:.1f} s, {len(report.gaps)} gaps; "
               f"everything hung: {seconds_all:.1f} s, {len(report_all.gaps)} gaps; "
               f"deadline {DEADLINE_SECONDS:g} s")
    return ScenarioResult(NAME, scale, summary, checks=checks, data={
        "deadline_seconds": DEADLINE_SECONDS, "margin_seconds": MARGIN_SECONDS,
        "audit_seconds": round(seconds, 3), "audit_all_seconds": round(seconds_all, 3),
        "gaps": len(report.gaps), "gaps_all": len(report_all.gaps),
    })
