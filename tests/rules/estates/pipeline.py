"""Build a fixture estate once, audit it through the real pipeline (emulator, SDK clients, DNS,
TLS), and answer per rule the way `auditor audit --rule ID` does: analyse() filtered to it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from report.retired_rows import expected_rows, html_sections, markdown_sections

from auditor.config import Config
from auditor.core.analyse import AnalysisResult, analyse
from auditor.core.decommission import decommission
from auditor.core.environment import open_environment
from auditor.core.pipeline import AuditOutcome, run_audit
from auditor.estate.builder import EstateSpec, build_estate
from auditor.model import Inventory, Report
from auditor.report import render
from auditor.rules.registry import CONTRACT_RULE_IDS
from auditor.rules.retirement import retired_names

from .nameless import assert_nothing_nameless


@dataclass(frozen=True)
class AuditedEstate:
    path: Path
    report: Report
    inventory: Inventory
    config: Config
    per_rule: dict[str, AnalysisResult]

    def subjects(self, rule: str) -> set[str]:
        """(rule, subject) pairs of the run filtered to `rule`, as subjects."""
        found = [(f.rule, f.subject) for f in self.per_rule[rule].findings]
        assert len(found) == len(set(found)), f"{rule}: one finding per subject"
        assert {r for r, _ in found} <= {rule}
        return {s for _, s in found}

    def all_pairs(self) -> set[tuple[str, str]]:
        return {(f.rule, f.subject) for f in self.report.findings}


def audit_estate(spec: EstateSpec, out_dir: Path) -> AuditedEstate:
    path = build_estate(spec, out_dir)
    with open_environment(estate=path, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        per_rule = {rule: analyse(outcome.inventory, env.config, env.as_of, rules=[rule])
                    for rule in CONTRACT_RULE_IDS}
        config = env.config
        _retired_view_is_decommission_check(outcome, config, env.as_of)
    audited = AuditedEstate(path=path, report=outcome.report, inventory=outcome.inventory,
                            config=config, per_rule=per_rule)
    _same_as_whole_run(audited)
    assert_nothing_nameless(audited.report, audited.inventory, audited.config, audited.report.as_of)
    return audited


def _same_as_whole_run(audited: AuditedEstate) -> None:
    """Filtering to one rule changes nothing about that rule's findings."""
    whole: dict[str, set[str]] = defaultdict(set)
    for f in audited.report.findings:
        whole[f.rule].add(f.subject)
    for rule in CONTRACT_RULE_IDS:
        assert audited.subjects(rule) == whole.get(rule, set()), rule


def _retired_view_is_decommission_check(outcome: AuditOutcome, config: Config, as_of: datetime) -> None:
    """The reports' retired-domain view shows, for each retired domain, exactly the dependents that
    `auditor decommission check DOMAIN` lists (core.decommission.decommission is what it runs)."""
    from auditor.graph import build_graph

    domains = [r.name for r in retired_names(build_graph(outcome.inventory), config)]
    assert [r.target for r in outcome.retired][:len(domains)] == domains
    html = list(html_sections(render(outcome.report, "html", retired=outcome.retired)).values())
    markdown = list(markdown_sections(render(outcome.report, "markdown", retired=outcome.retired)).values())
    assert len(html) == len(markdown) == len(outcome.retired)
    for shown_html, shown_md, domain in zip(html, markdown, domains, strict=False):
        listed = decommission(outcome.inventory, config, domain, as_of)
        assert shown_html.rows == shown_md.rows == expected_rows(listed), domain
        assert shown_html.count == shown_md.count == len(listed.dependents), domain
