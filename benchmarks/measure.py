"""One audit of an estate, measured: wall time per stage, requests per service, requests
in flight at the emulator, and the rendering of the report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The pipeline imports its collectors (and the Azure SDKs) on first use: import them
# before any clock starts, so stage times measure work, not imports.
import auditor.collect.azure  # noqa: F401
import auditor.collect.dns  # noqa: F401
import auditor.collect.tls  # noqa: F401
from auditor.config import Config, parse_config
from auditor.core.environment import Environment
from auditor.core.pipeline import AuditOutcome, run_audit
from auditor.report import render
from benchmarks.emulator_host import EmulatorProcess, ServedLog
from benchmarks.graph_quota import graph_quota
from benchmarks.stages import StageClock

RENDERED_FORMATS = ("json", "html")


@dataclass(frozen=True)
class MeasuredAudit:
    seconds: float                     # the audit: collection and analysis
    stages: dict[str, float]
    render_seconds: dict[str, float]   # format -> seconds
    render_bytes: dict[str, int]       # format -> size of the rendered report
    requests: dict[str, int]           # service -> requests the emulator answered
    peak_in_flight: dict[str, int]     # service, or "bounded" (ARM + Key Vault + Graph) -> most at once
    outcome: AuditOutcome
    log: ServedLog
    config: Config
    graph: dict[str, Any]              # Resource Graph queries, 429s met, seconds against the quota floor
    # CPU seconds of the analysis (the only stage that does not wait on the network): on a
    # shared machine its wall time measures the neighbours as much as the code.
    analysis_cpu: float = 0.0
    # Resident and peak MB as each stage ended (analysis and rendering included): where memory goes.
    memory_by_stage: dict[str, dict[str, float]] = field(default_factory=dict)


def audit_config(collect: dict[str, Any] | None = None) -> Config:
    """The defaults, with the [collect] keys given (as auditor.toml would set them)."""
    return parse_config({"collect": dict(collect or {}), "history": {"enabled": False}})


def measured_audit(estate: Path, *, collect: dict[str, Any] | None = None,
                   latency: dict[str, float] | None = None) -> MeasuredAudit:
    config = audit_config(collect)
    emulator = EmulatorProcess(estate, latency or {})
    with emulator as endpoints:
        env = Environment(config=config, network=endpoints.network(), as_of=endpoints.as_of,
                          tenant_id=endpoints.tenant_id, estate=estate)
        clock = StageClock()
        outcome = run_audit(env, progress=clock)
        seconds = time.monotonic() - clock.started
        log = emulator.served()
    rendered = _render(outcome)
    clock("render", 1, 1)
    stages = clock.durations(seconds)
    return MeasuredAudit(
        seconds=seconds,
        stages=stages,
        render_seconds={fmt: seconds for fmt, (seconds, _) in rendered.items()},
        render_bytes={fmt: size for fmt, (_, size) in rendered.items()},
        requests=log.counts(),
        peak_in_flight=log.peak_in_flight,
        outcome=outcome,
        log=log,
        config=config,
        analysis_cpu=_analysis_cpu(clock),
        graph=graph_quota(log, estate, stages["resource_graph"]),
        memory_by_stage=clock.memory(),
    )


def _analysis_cpu(clock: StageClock) -> float:
    cpu = clock.cpu_of("analysis")
    if cpu is None:      # never a silent 0 s, which the scaling fit would pass as too small to fit
        raise ValueError("the pipeline reported no analysis stage")
    return cpu


def _render(outcome: AuditOutcome) -> dict[str, tuple[float, int]]:
    """format -> (seconds, bytes) of rendering the report."""
    out: dict[str, tuple[float, int]] = {}
    for fmt in RENDERED_FORMATS:
        started = time.monotonic()
        text = render(outcome.report, fmt, certificates=outcome.inventory.certificates)
        out[fmt] = (time.monotonic() - started, len(text.encode()))
    return out
