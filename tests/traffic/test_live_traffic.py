"""Live traffic through the CLI: the emulator's Log Analytics runs the auditor's real KQL over
logs/, and ARM lists each resource's diagnostic settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from traffic.traffic_estate import APIM, FRONT_DOOR, GATEWAY, LEGACY, SITE, WORKSPACE_ID, write_traffic_estate


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 2, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_traffic_estate(tmp_path_factory.mktemp("traffic") / "estate")


@pytest.fixture(scope="module")
def checked(estate: Path) -> tuple[int, dict[str, Any]]:
    code, body, _ = run("decommission", "check", LEGACY, "--estate", str(estate), "--format", "json")
    return code, body


def test_a_name_only_the_logs_know_is_a_live_traffic_dependent(checked: tuple[int, dict[str, Any]]) -> None:
    code, body = checked
    assert code == 1 and not body["safe"]
    live = [d for d in body["dependents"] if d["kind"] == "live-traffic"]
    catch_all = next(d for d in live if d["hostname"] == f"old-api.{LEGACY}")
    assert catch_all["resource_id"] == GATEWAY       # the gateway's catch-all listener logged it
    assert catch_all["detail"].startswith("5 requests from 3 clients in 7 d, last 2025-09-09T23:54:00Z")
    assert "statuses 200, 404" in catch_all["detail"] and "AGWAccessLogs" in catch_all["where"]
    # no configuration names old-api: the logs are the only evidence
    assert [d["kind"] for d in body["dependents"] if d["hostname"] == f"old-api.{LEGACY}"] == ["live-traffic"]


def test_configured_dependents_say_whether_their_name_is_live(checked: tuple[int, dict[str, Any]]) -> None:
    _, body = checked
    by_name = {(d["kind"], d["hostname"]): d for d in body["dependents"]}
    shop = by_name[("custom-domain", f"shop.{LEGACY}")]
    assert shop["traffic"] == "6 requests in 7 d"   # the seventh row is outside the window
    assert by_name[("live-traffic", f"shop.{LEGACY}")]["resource_id"] == FRONT_DOOR
    assert by_name[("custom-domain", f"login.{LEGACY}")]["traffic"] == "no requests in 7 d"
    assert by_name[("custom-domain", f"login.{LEGACY}")]["resource_id"].startswith(SITE)
    # API Management logs nowhere: nothing is claimed about its name
    assert "traffic" not in by_name[("custom-domain", f"api.{LEGACY}")]
    assert not any(d["hostname"] == f"old.{LEGACY}" for d in body["dependents"])


def test_a_resource_that_logs_nowhere_is_a_logs_gap(checked: tuple[int, dict[str, Any]]) -> None:
    _, body = checked
    assert not body["complete"]
    assert {(g["source"], g["target"], g["reason"]) for g in body["gaps"]} == {("logs", APIM, "not-logged")}


def test_a_throttled_workspace_is_a_gap_not_an_idle_name(tmp_path: Path) -> None:
    # The fault matches the query's URL, which names the workspace: every query of it is throttled.
    estate = write_traffic_estate(tmp_path / "estate", faults=[
        {"service": "logs", "match": "6c7e1f6b", "status": 429, "retry_after": 0}])
    code, body, _ = run("decommission", "check", LEGACY, "--estate", str(estate), "--format", "json")
    assert code == 1
    throttled = [g for g in body["gaps"] if g["reason"] == "throttled"]
    assert throttled and all(g["source"] == "logs" and WORKSPACE_ID in g["target"] for g in throttled)
    assert not any(d["kind"] == "live-traffic" for d in body["dependents"])
    assert not any(d.get("traffic") == "no requests in 7 d" for d in body["dependents"])


def test_the_audit_reports_a_retired_name_on_traffic_alone(estate: Path) -> None:
    code, body, _ = run("audit", "--estate", str(estate), "--format", "json", "--rule", "retired-domain-in-use")
    assert code == 1
    found = {f["subject"]: f for f in body["findings"] if f["rule"] == "retired-domain-in-use"}
    old_api = found[f"old-api.{LEGACY}"]
    assert old_api["severity"] == "critical" and old_api["resource_id"] == GATEWAY
    assert old_api["evidence"]["kinds"] == ["live-traffic"]
    assert old_api["evidence"]["traffic"] == {"requests": 5, "clients": 3, "last_seen": "2025-09-09T23:54:00Z",
                                              "window_days": 7, "note": "5 requests in 7 d"}
    assert "5 requests from 3 clients in 7 d" in old_api["title"]
    assert found[f"login.{LEGACY}"]["evidence"]["traffic"]["note"] == "no requests in 7 d"


def test_without_retired_names_the_logs_are_not_read(tmp_path: Path) -> None:
    estate = write_traffic_estate(tmp_path / "estate", retired=False)
    code, body, _ = run("audit", "--estate", str(estate), "--format", "json", "--rule", "retired-domain-in-use")
    assert not any(g["source"] == "logs" for g in body["coverage"]["gaps"])
    assert not body["findings"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_table_and_markdown_show_the_traffic_column(estate: Path, fmt: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "auditor", "decommission", "check", LEGACY, "--estate", str(estate),
                           "--format", fmt], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "traffic" in proc.stdout and "requests" in proc.stdout
    if fmt == "markdown":   # the table folds cells to the terminal's width; Markdown keeps them whole
        assert "no requests in 7 d" in proc.stdout and "6 requests in 7 d" in proc.stdout
        header = next(line for line in proc.stdout.splitlines() if line.startswith("| done"))
        separator = proc.stdout.splitlines()[proc.stdout.splitlines().index(header) + 1]
        assert header.count("|") == separator.count("|")
