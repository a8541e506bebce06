"""Run rules over one graph: every finding once, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding
from auditor.rules.metadata import Rule


def run_rules(rules: Iterable[Rule], graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    """Findings of every rule; one per (rule, subject, resource), the most severe kept."""
    kept: dict[str, Finding] = {}
    for rule in rules:
        for finding in rule.check(graph, config, as_of):
            if finding.rule != rule.id:
                raise RuntimeError(f"rule {rule.id} returned a finding for {finding.rule}")
            earlier = kept.get(finding.id)
            if earlier is None or finding.severity.rank > earlier.severity.rank:
                kept[finding.id] = finding
    return sort_findings(kept.values())


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by rule id and subject."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule, f.subject, f.resource_id.lower()))
