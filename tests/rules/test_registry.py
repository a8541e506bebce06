from dataclasses import replace
from pathlib import Path

import pytest

from auditor.core.analyse import analyse
from auditor.errors import AuditorError
from auditor.model import CoverageGap, GapReason, Source
from auditor.rules import docs
from auditor.rules.metadata import Rule
from auditor.rules.registry import CONTRACT_RULE_IDS, RULES, registry_problems

from .factories import AS_OF, config, healthy, kv_cert, with_

ROOT = Path(__file__).resolve().parents[2]


def test_registry_matches_the_contract() -> None:
    assert [r.id for r in RULES] == list(CONTRACT_RULE_IDS)
    assert registry_problems(RULES) == []


def test_registry_validation_catches_mistakes() -> None:
    broken = replace(RULES[0].metadata, remediation="", references=("http://example.com",))
    problems = registry_problems((*RULES, Rule(broken, RULES[0].check)))
    assert any("duplicate" in p for p in problems)
    assert any("remediation is empty" in p for p in problems)
    assert any("not an https URL" in p for p in problems)
    assert registry_problems(RULES[1:])[0] == "rules missing from the registry: cert-expired"


def test_docs_are_generated_from_the_metadata() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == docs.render(), "docs/rules.md is stale: python -m auditor.rules.docs > docs/rules.md"
    for rule in RULES:
        assert f"## {rule.id}" in committed


def test_unknown_rule_filter_is_a_usage_error() -> None:
    with pytest.raises(AuditorError, match="unknown rule 'nope'"):
        analyse(healthy(), config(), AS_OF, rules=["nope"])


def test_findings_sorted_by_severity_then_rule_then_subject() -> None:
    inv = with_(healthy(), certificates=(*healthy().certificates,
                                         kv_cert("old", names=("old.contoso.com",), thumbprint="C" * 40,
                                                 not_after=AS_OF.replace(year=2024))),
                gaps=(CoverageGap(Source.KEYVAULT, "kv-b", GapReason.FORBIDDEN),
                      CoverageGap(Source.KEYVAULT, "kv-a", GapReason.FORBIDDEN)))
    findings = analyse(inv, config(), AS_OF).findings
    keys = [(-f.severity.rank, f.rule, f.subject) for f in findings]
    assert keys == sorted(keys)
    assert [f.rule for f in findings][:3] == ["cert-expired", "coverage-gap", "coverage-gap"]
    assert len({f.id for f in findings}) == len(findings)
