"""The analysis is a stage of its own in the progress the pipeline reports: it starts once the
collection has closed and ends when the verdict is in, for the audit and for a decommission check."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit, run_decommission
from auditor.estate.demo import build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "estate")


def _reports(demo: Path, run: str) -> list[tuple[str, int, int]]:
    seen: list[tuple[str, int, int]] = []
    with open_environment(estate=demo, config_path=None, as_of=None) as env:
        if run == "audit":
            run_audit(env, progress=lambda *report: seen.append(report))
        else:
            run_decommission(env, "contoso.com", progress=lambda *report: seen.append(report))
    return seen


@pytest.mark.parametrize("run", ["audit", "decommission"])
def test_the_analysis_reports_its_start_after_every_collection_stage_and_its_end_last(
        demo: Path, run: str) -> None:
    seen = _reports(demo, run)
    stages = [stage for stage, _, _ in seen]
    assert "tls" in stages, "the demo probes TLS endpoints"
    assert [r for r in seen if r[0] == "analysis"] == [("analysis", 0, 1), ("analysis", 1, 1)]
    start = seen.index(("analysis", 0, 1))
    assert all(stage == "analysis" for stage in stages[start:])
    assert seen[-1] == ("analysis", 1, 1)
