"""One small estate and one emulator for the whole fault matrix: each case swaps the
emulator's fault plan and runs the production pipeline in-process against it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from auditor.config import Config, load_config
from auditor.core.environment import Environment
from auditor.core.exit_codes import audit_exit_code
from auditor.core.pipeline import run_audit
from auditor.emulator import Emulator
from auditor.emulator.faults import FaultPlan
from auditor.estate.load import Fault
from auditor.model.report import Report
from tests.faults.estate import RETIRED, SUB, SUB2, build

# Tight, so that every fault kind costs little; the bounds below are derived from these.
CONFIG = f"""
[scope]
subscriptions = ["{SUB}", "{SUB2}"]
[collect]
# One Resource Graph query per subscription, so a fault aimed at one subscription's queries
# stays on it: a throttled batch is waited out and asked again, never split.
subscription_batch = 1
request_timeout_seconds = 1.5
retries = 1
max_retry_wait_seconds = 2
dns_timeout_seconds = 0.5
tls_timeout_seconds = 1.5
deadline_seconds = 60
[decommission]
retired_domains = ["{RETIRED}"]
[history]
enabled = false
"""


@dataclass
class Outcome:
    report: Report
    exit_code: int
    seconds: float

    @property
    def finding_ids(self) -> dict[str, tuple[str, str]]:
        return {f.id: (f.rule, f.subject) for f in self.report.findings if f.rule != "coverage-gap"}


@dataclass
class Matrix:
    env: Environment
    plan: FaultPlan
    config: Config
    clean: Outcome

    def run(self, faults: list[Fault]) -> Outcome:
        self.plan.replace(faults)
        try:
            return _run(self.env, self.config)
        finally:
            self.plan.replace([])


def _run(env: Environment, config: Config) -> Outcome:
    started = time.monotonic()
    report = run_audit(env).report
    seconds = time.monotonic() - started
    return Outcome(report, audit_exit_code(report.findings, report.complete, config.report.fail_on), seconds)


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    estate = build(tmp_path_factory.mktemp("faults") / "estate", CONFIG)
    config = load_config(estate / "auditor.toml", required=True)
    emulator = Emulator(estate, cloud=config.cloud)
    endpoints = emulator.start()
    try:
        assert emulator.faults is not None
        env = Environment(config=config, network=endpoints.network(), as_of=endpoints.as_of,
                          tenant_id=endpoints.tenant_id, estate=estate)
        clean = _run(env, config)
        assert clean.report.complete, clean.report.gaps
        yield Matrix(env=env, plan=emulator.faults, config=config, clean=clean)
    finally:
        emulator.stop()
