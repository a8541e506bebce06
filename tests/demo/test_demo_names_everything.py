"""The demo estate's findings and every decommission check of its domains and certificates name
their subject and resource (CONTRACT sections 3 and 4)."""

from __future__ import annotations

from pathlib import Path

from rules.estates.nameless import assert_nothing_nameless

from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit


def test_the_demo_names_every_finding_and_dependent(demo_estate: Path) -> None:
    with open_environment(estate=demo_estate, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        checked = assert_nothing_nameless(outcome.report, outcome.inventory, env.config, env.as_of)
    assert checked > 100    # the demo has findings and many dependents: the check really ran
