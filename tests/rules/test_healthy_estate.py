"""A healthy estate gives no finding from any rule: the false-positive guard."""

from auditor.core.analyse import analyse
from auditor.rules.registry import CONTRACT_RULE_IDS

from .factories import AS_OF, config, healthy


def test_healthy_estate_has_no_findings() -> None:
    result = analyse(healthy(), config(), AS_OF)
    assert [f.to_json() for f in result.findings] == []


def test_each_rule_passes_on_the_healthy_estate() -> None:
    for rule in CONTRACT_RULE_IDS:
        assert analyse(healthy(), config(), AS_OF, rules=[rule]).findings == (), rule
