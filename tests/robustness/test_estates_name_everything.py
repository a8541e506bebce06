"""The REST examples estate (Azure's own payloads, the Application Gateway example included) and
the real-world scenario estate name every finding's subject and resource, and every dependent of
a decommission check of each of their domains and certificates (CONTRACT sections 3 and 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_estate import write_estate
from rules.estates.nameless import assert_nothing_nameless
from scenario_estate import write_scenarios
from test_rest_examples_estate import MYVAULT, ZONE1

from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit


def _checked(root: Path) -> int:
    with open_environment(estate=root, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        return assert_nothing_nameless(outcome.report, outcome.inventory, env.config, env.as_of)


@pytest.mark.parametrize("estate", ["rest-examples", "scenarios"])
def test_nothing_nameless(estate: str, tmp_path: Path) -> None:
    if estate == "rest-examples":
        root = tmp_path / "estate"
        root.mkdir()
        write_estate(root, [MYVAULT, ZONE1])
    else:
        root = write_scenarios(tmp_path / "estate")
    assert _checked(root) > 10
