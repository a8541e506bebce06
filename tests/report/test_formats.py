from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from auditor.config import default_config
from auditor.history import SqliteHistoryStore
from auditor.model.common import Severity
from auditor.report import FORMATS, render
from auditor.report.html_markdown import inline_markdown
from auditor.report.html_script import csp_hash

from .factories import (
    AS_OF,
    HOSTILE,
    finding,
    hostile_report,
    hostile_retired,
    report,
    sample_report,
    sample_retired,
    site_id,
)


def test_json_is_exactly_the_contract() -> None:
    body = json.loads(render(sample_report(), "json"))
    assert list(body) == ["schema", "as_of", "started", "finished", "tenant_id", "scope", "coverage", "counts",
                          "findings"]
    assert body["schema"] == "auditor-report/1" and body["as_of"] == "2025-09-10T00:00:00Z"
    assert body["coverage"] == {"complete": False, "gaps": [
        {"source": "keyvault", "target": "kv-restricted", "reason": "forbidden", "detail": "403 from Key Vault"}]}
    assert set(body["counts"]) == {"certificates", "custom_domains", "dns_names", "endpoints_probed", "references"}
    assert list(body["findings"][0]) == ["id", "rule", "severity", "subject", "resource_id", "title", "evidence",
                                         "remediation"]


def test_json_has_changes_only_with_history(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    a, b = finding(subject="a.contoso.com"), finding(subject="b.contoso.com")
    store.record(report([a, b]))
    diff = store.record(report([a], as_of=AS_OF + timedelta(days=3)))
    changes = json.loads(render(report([a]), "json", diff=diff))["changes"]
    assert changes["new"] == 0 and changes["resolved"] == 1 and changes["still_open"] == 1
    assert changes["findings"][a.id] == {"status": "open", "first_seen": "2025-09-10T00:00:00Z", "age_days": 3}
    assert [r["id"] for r in changes["resolved_findings"]] == [b.id]


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        render(sample_report(), "pdf")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_report(fmt: str) -> None:
    assert render(report(), fmt).strip()


def test_table_is_plain_without_a_terminal_and_coloured_with_one() -> None:
    plain = render(sample_report(), "table")
    assert "\x1b[" not in plain
    assert "CRITICAL (4)" in plain and "COVERAGE GAPS" in plain and "kv-restricted" in plain
    assert plain.index("CRITICAL") < plain.index("HIGH") < plain.index("MEDIUM") < plain.index("LOW")
    assert "\x1b[" in render(sample_report(), "table", color=True)


def test_table_keeps_markup_and_escape_sequences_from_the_estate_out() -> None:
    text = render(report([finding(title="[bold red]boom[/] \x1b[2J cleared")]), "table", color=True)
    assert "[bold red]boom[/]" in text and "\x1b[2J" not in text


def test_markdown_escapes_estate_strings_and_keeps_rows_whole() -> None:
    text = render(hostile_report(), "markdown")
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text
    assert "\\|" in text and "\\*bold\\*" in text and "\\_it\\_" in text and "\\[x\\]" in text and "\\`code\\`" in text
    multiline = render(report([finding(title="line one\nline two | x")]), "markdown")
    row = next(line for line in multiline.splitlines() if "line one" in line)
    assert "line one<br>line two \\| x" in row and row.count(" | ") == 4


def test_markdown_has_a_mermaid_diagram_per_retired_domain() -> None:
    text = render(sample_report(), "markdown", retired=sample_retired())
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block.startswith("graph LR\n")
    assert 'd0["contoso-legacy.net"]' in block
    assert block.count("--> h") == 3 and block.count("--> d0") == 2
    assert '"app-setting: signin"' in block and '"frontdoor-origin: fd-main"' in block
    hostile = render(hostile_report(), "markdown", retired=hostile_retired()).split("```mermaid\n", 1)[1].split("```", 1)[0]
    labels = [line for line in hostile.splitlines() if '["' in line]
    assert all(line.count('"') == 2 and "<" not in line and "`" not in line for line in labels)


def test_csv_is_one_row_per_finding_and_defuses_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render(report([
        finding(subject="a.contoso.com", title="=HYPERLINK(\"http://x\")"),
        finding(subject="b.contoso.com")]), "csv"))))
    assert [r["subject"] for r in rows] == ["a.contoso.com", "b.contoso.com"]
    assert rows[0]["title"].startswith("'=")
    assert json.loads(rows[1]["evidence"]) == {}


def test_sarif_has_rules_levels_and_logical_locations() -> None:
    log = json.loads(render(sample_report(), "sarif"))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in sample_report().findings})
    levels = {(r["ruleId"], r["properties"]["subject"]): r["level"] for r in run["results"]}
    assert levels[("dangling-dns", "old.contoso.com")] == "error"
    assert levels[("cert-expiring", "kv-prod/api-contoso-com")] == "warning"
    assert levels[("orphaned-certificate", "kv-prod/unused")] == "note"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        (logical,) = location["logicalLocations"]
        assert logical["fullyQualifiedName"].startswith("/subscriptions/")
        # GitHub code scanning rejects a file whose results have no physical location.
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "auditor.toml"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_fails_at_or_above_fail_on_and_passes_when_clean() -> None:
    suites = ET.fromstring(render(sample_report(), "junit", fail_on=Severity.HIGH))
    cases = suites.findall("./testsuite/testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(cases) == 9 and suites.get("tests") == "9"
    # 4 critical + 1 high + the coverage gap
    assert len(failed) == 6 and suites.get("failures") == "6"
    assert {c.find("failure").get("type") for c in failed} == {"critical", "high", "coverage-gap"}
    medium = ET.fromstring(render(sample_report(), "junit", fail_on=Severity.MEDIUM))
    assert medium.get("failures") == "7"
    clean = ET.fromstring(render(report(), "junit"))
    assert clean.get("failures") == "0" and [c.get("name") for c in clean.iter("testcase")] == [
        "every source in scope was read", "no findings"]


def test_junit_survives_hostile_and_control_characters() -> None:
    text = render(report([finding(title=f"{HOSTILE}\x01\x1b")]), "junit")
    case = ET.fromstring(text).find("./testsuite/testcase/failure")
    assert case is not None and case.get("message") == HOSTILE


def test_html_escapes_everything_and_carries_the_csp() -> None:
    text = render(hostile_report(), "html", retired=hostile_retired())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert csp.startswith("default-src 'none'; ") and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # exactly the page's own script and style block, by hash
    [script] = re.findall(r"<script>(.*?)</script>", text, re.S)
    [style] = re.findall(r"<style>(.*?)</style>", text, re.S)
    assert f"script-src {csp_hash(script)}" in csp and f"style-src {csp_hash(style)}" in csp
    assert text.count("<script") == 1 and "<img" not in text and "onerror=\"" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "javascript:" not in text.replace("javascript:alert(3)", "") and 'href="javascript' not in text


def test_html_renders_remediation_markdown_after_escaping() -> None:
    html = inline_markdown("Run `az keyvault show -n <vault>` then see **Portal** [docs](https://learn.microsoft.com/x)"
                           " not [this](javascript:alert(1))")
    assert "<code>az keyvault show -n &lt;vault&gt;</code>" in html and "<b>Portal</b>" in html
    assert '<a href="https://learn.microsoft.com/x" rel="noreferrer">docs</a>' in html
    assert "[this](javascript:alert(1))" in html and "`" not in html
    assert inline_markdown("<b>x</b> `<i>`") == "&lt;b&gt;x&lt;/b&gt; <code>&lt;i&gt;</code>"


def test_sarif_anchors_results_at_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = dataclasses.replace(default_config(), source=tmp_path / "audit" / "auditor.toml")
    log = json.loads(render(sample_report(), "sarif", config=config))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"audit/auditor.toml"}


def test_dependency_views_show_each_dependent_with_its_own_resource() -> None:
    markdown = render(report(), "markdown", retired=sample_retired())
    assert "## Retired contoso-legacy.net: still used by 3 dependent(s)" in markdown
    assert '"app-setting: signin"' in markdown and '"custom-domain: legacy-portal"' in markdown
    html = render(report(), "html", retired=sample_retired())
    assert "still used by 3 dependent(s)" in html
    assert html.count('<tr class="dependent">') == 3
    assert f'<code class="rid">{site_id("legacy-portal")}</code>' in html
    # remediation Markdown is rendered, not shown raw
    assert "<code>AUTH_CALLBACK_URL</code>" in html and "`AUTH_CALLBACK_URL`" not in html


