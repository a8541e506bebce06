"""Inventory -> graph -> every rule -> suppressions: the audit's verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from auditor.config import Config
from auditor.graph import build_graph
from auditor.model import Finding, Inventory
from auditor.rules.registry import select
from auditor.rules.runner import run_rules, sort_findings
from auditor.rules.suppressions import SuppressedFinding, apply_suppressions, check_suppressions


@dataclass(frozen=True)
class AnalysisResult:
    findings: tuple[Finding, ...]              # active: most severe first, then rule, then subject
    suppressed: tuple[SuppressedFinding, ...]  # kept aside by an active suppression, with its reason


def analyse(inventory: Inventory, config: Config, as_of: datetime,
            rules: Sequence[str] | None = None) -> AnalysisResult:
    """Run every rule (or only `rules`, by id) over the inventory at the audit's clock."""
    check_suppressions(config.suppressions)
    selected = select(tuple(rules) if rules is not None else None)
    clock = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of
    findings = run_rules(selected, build_graph(inventory), config, clock)
    active, suppressed = apply_suppressions(findings, config.suppressions, clock)
    return AnalysisResult(findings=tuple(sort_findings(active)), suppressed=tuple(suppressed))
