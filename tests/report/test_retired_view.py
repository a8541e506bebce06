"""The reports' retired-domain view lists exactly what `auditor decommission check` lists for the
same domain: the same dependents, with the same resource ids, and the same count. On the demo here;
every fixture estate under tests/rules/estates checks the same in its audit (pipeline.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.core.environment import open_environment
from auditor.core.pipeline import AuditOutcome, run_audit
from auditor.estate.demo import build_demo
from auditor.report import render

from .retired_rows import html_sections, markdown_sections

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Demo:
    estate: Path
    outcome: AuditOutcome


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    estate = build_demo(tmp_path_factory.mktemp("demo") / "estate")
    with open_environment(estate=estate, config_path=None, as_of=None) as env:
        return Demo(estate, run_audit(env))


def _decommission_check(estate: Path, target: str) -> list[dict[str, str]]:
    proc = subprocess.run([sys.executable, "-m", "auditor", "decommission", "check", target, "--estate",
                           str(estate), "--format", "json", "--quiet"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode in (0, 1, 3), proc.stderr
    return list(json.loads(proc.stdout)["dependents"])


def test_the_demo_view_lists_what_decommission_check_lists(demo: Demo) -> None:
    report, retired = demo.outcome.report, demo.outcome.retired
    assert [r.target for r in retired] == ["contoso-legacy.net"]
    listed = _decommission_check(demo.estate, "contoso-legacy.net")
    expected = [(d["kind"], d["hostname"], d["resource_id"]) for d in listed]
    assert len(expected) >= 8   # custom domain, rule, records, app setting, certificates

    [html] = html_sections(render(report, "html", retired=retired)).values()
    assert html.rows == expected
    assert html.count == len(listed)

    [markdown] = markdown_sections(render(report, "markdown", retired=retired)).values()
    assert markdown.rows == expected
    assert markdown.count == len(listed)

    # the live traffic the logs showed for each dependent, as the command says it
    assert any(d.get("traffic") for d in listed)
    column = html.columns.index("traffic")
    assert [row[column] for row in html.cells] == [d.get("traffic") or "unknown" for d in listed]


def test_each_row_names_its_own_resource_not_the_findings(demo: Demo) -> None:
    [html] = html_sections(render(demo.outcome.report, "html", retired=demo.outcome.retired)).values()
    shop = {kind: rid for kind, host, rid in html.rows if host == "shop.contoso-legacy.net"}
    assert shop["dns-record"].lower().endswith("/dnszones/contoso-legacy.net/cname/shop")
    assert "/rulesets/" in shop["frontdoor-rule"].lower()
    assert "/customdomains/" in shop["custom-domain"].lower()


def test_the_mermaid_labels_name_each_dependents_own_resource(demo: Demo) -> None:
    text = render(demo.outcome.report, "markdown", retired=demo.outcome.retired)
    mermaid = text.split("```mermaid", 1)[1].split("```", 1)[0]
    assert '"dns-record: shop"' in mermaid
    assert '"frontdoor-rule: legacyShop"' in mermaid
    assert '"custom-domain: shop-contoso-legacy-net"' in mermaid


def test_without_retired_checks_there_is_no_retired_section(demo: Demo) -> None:
    # The view never falls back to guessing from the findings.
    assert not html_sections(render(demo.outcome.report, "html"))
    assert not markdown_sections(render(demo.outcome.report, "markdown"))
