from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from auditor.history import SqliteHistoryStore
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.report import DecommissionResult
from auditor.report import render_decommission, render_diff, render_runs

from .factories import AS_OF, HOSTILE, decommission, finding, report


def test_decommission_json_is_the_contract() -> None:
    body = json.loads(render_decommission(decommission(), "json"))
    assert list(body) == ["schema", "target", "safe", "complete", "gaps", "dependents"]
    assert body["schema"] == "auditor-decommission/1" and body["safe"] is False
    assert list(body["dependents"][0]) == ["kind", "hostname", "resource_id", "where", "detail", "remove"]


def test_decommission_table_and_markdown_give_the_verdict() -> None:
    assert render_decommission(decommission(safe=True), "table").startswith("SAFE")
    table = render_decommission(decommission(), "table")
    assert table.startswith("NOT SAFE: 2 dependent(s)") and "AUTH_CALLBACK_URL" in table
    markdown = render_decommission(decommission(), "markdown")
    assert "**NOT SAFE: 2 dependent(s) remain on contoso-legacy.net**" in markdown
    assert "| [ ] | app-setting | login.contoso-legacy.net |" in markdown


def test_decommission_is_never_safe_with_gaps_and_escapes_hostile_text() -> None:
    result = DecommissionResult(target=HOSTILE, dependents=(),
                                gaps=(CoverageGap(Source.DNS, "contoso-legacy.net", GapReason.TIMEOUT),))
    assert render_decommission(result, "table").startswith("UNKNOWN")
    markdown = render_decommission(result, "markdown")
    assert "<script>" not in markdown and "## Could not be read" in markdown
    with pytest.raises(ValueError):
        render_decommission(result, "html")


def test_history_runs_and_diff_views(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    a, b = finding(subject="a.contoso.com"), finding(subject="b.contoso.com")
    store.record(report([a, b]))
    diff = store.record(report([a], as_of=AS_OF + timedelta(days=2)))
    runs = store.runs()
    assert json.loads(render_runs(runs, "json"))["runs"][1]["run_id"] == runs[1].run_id
    assert runs[0].run_id in render_runs(runs, "table") and runs[1].run_id in render_runs(runs, "markdown")
    table = render_diff(diff, "table")
    assert "0 new, 1 resolved, 1 still open" in table and "b.contoso.com" in table
    assert json.loads(render_diff(diff, "json"))["resolved"][0]["subject"] == "b.contoso.com"
    assert "| resolved | high | cert-expiring | b.contoso.com | 2025-09-10 | 2 d |" in render_diff(diff, "markdown")
    with pytest.raises(ValueError):
        render_diff(diff, "sarif")
