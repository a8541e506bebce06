"""Command-line conventions: --version, -h, clean flag help that offers only what each command takes,
`auditor rules`, --subscription and --fail-on info."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from auditor.cli.choices import parse_fail_on, parse_subscriptions
from auditor.core.environment import open_environment
from auditor.core.exit_codes import FINDINGS, OK, audit_exit_code
from auditor.errors import AuditorError
from auditor.estate.demo import build_demo
from auditor.model import Finding, Severity
from auditor.rules.registry import CONTRACT_RULE_IDS, RULES

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("audit", "inventory", "demo", "emulator", "rules", "decommission check", "history list",
            "history diff", "decommission", "history", "")
# The commands that write HTML; no other command's help may speak of it.
WRITES_HTML = {"audit", "demo"}
PROD = "3f2c8a14-6b1e-4d2a-9c7e-5a1b2c3d4e5f"          # the demo's two subscriptions
PLATFORM = "8d7e6f50-2a3b-4c5d-8e9f-0a1b2c3d4e6a"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    out = {}
    for command in COMMANDS:
        proc = run(*command.split(), "-h")
        assert proc.returncode == 0, (command, proc.stderr)
        assert proc.stdout == run(*command.split(), "--help").stdout, command
        out[command] = proc.stdout
    return out


def test_version_names_the_package_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"auditor {version}"


def test_flags_show_no_type_placeholders(helps: dict[str, str]) -> None:
    for command, text in helps.items():
        assert not re.search(r"<(bool|text|path|str)>", text.split("Options:", 1)[-1]), (command, text)


def _accepted(text: str) -> set[str]:
    """The options in the help's option column."""
    section = text.split("Options:", 1)[1]
    return {o for row in re.findall(r"^\s+(?:(-[a-z]), )?(--[a-z][a-z-]*)", section, re.M) for o in row if o}


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("", "decommission", "history")])
def test_help_mentions_only_options_the_command_takes(command: str, helps: dict[str, str]) -> None:
    text = helps[command]
    mentioned = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", text))
    assert mentioned <= _accepted(text), (command, mentioned - _accepted(text))
    if command not in WRITES_HTML:
        assert "HTML" not in text and "html" not in text, command


def test_history_help_does_not_offer_an_estate(helps: dict[str, str]) -> None:
    assert "estate" not in helps["history list"].lower() and "estate" not in helps["history diff"].lower()


def test_root_help_lists_every_command(helps: dict[str, str]) -> None:
    for command in ("audit", "decommission", "inventory", "demo", "emulator", "rules", "history", "--version"):
        assert command in helps[""]


def test_rules_json_lists_every_rule_with_its_default_severity() -> None:
    proc = run("rules", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert list(body) == ["schema", "rules"] and body["schema"] == "auditor-rules/1"
    rules = body["rules"]
    assert all(list(r) == ["id", "severity", "title", "checks", "remediation", "references"] for r in rules)
    assert [r["id"] for r in rules] == [r.id for r in RULES]
    assert {r["id"] for r in rules} == set(CONTRACT_RULE_IDS)
    by_id = {r.id: r.metadata for r in RULES}
    for row in rules:
        assert row["severity"] == by_id[row["id"]].severity.value
        assert row["checks"] == by_id[row["id"]].checks
        assert row["references"] and all(u.startswith("https://") for u in row["references"])


def test_rules_table_shows_id_severity_and_what_it_checks() -> None:
    proc = run("rules")
    assert proc.returncode == 0, proc.stderr
    for rule in RULES:
        line = next(line for line in proc.stdout.splitlines() if f" {rule.id} " in line)
        assert rule.metadata.severity.value in line
    proc = run("rules", "--format", "markdown")
    assert proc.returncode == 2 and "rules --format must be one of table, json" in proc.stderr


def test_fail_on_takes_info_as_the_config_does() -> None:
    assert parse_fail_on("info", Severity.HIGH) is Severity.INFO
    assert parse_fail_on("INFO", Severity.HIGH) is Severity.INFO
    info = Finding(rule="tls-weak-protocol", severity=Severity.INFO, subject="a.example", resource_id="/x",
                   title="t", remediation="r", evidence={})
    assert audit_exit_code([info], True, Severity.INFO) == FINDINGS
    assert audit_exit_code([info], True, Severity.LOW) == OK
    with pytest.raises(AuditorError, match="critical, high, medium, low, info"):
        parse_fail_on("urgent", Severity.HIGH)


def test_subscription_ids_are_validated_and_repeatable() -> None:
    assert parse_subscriptions(None) is None
    assert parse_subscriptions([PROD.upper(), f"{PLATFORM},{PROD}"]) == (PROD, PLATFORM)
    with pytest.raises(AuditorError, match="a GUID"):
        parse_subscriptions(["contoso-prod"])
    proc = run("inventory", "--subscription", "contoso-prod")
    assert proc.returncode == 2 and "--subscription must be a subscription id" in proc.stderr


@pytest.fixture(scope="module")
def demo_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "estate")


def test_subscription_overrides_the_configs_scope(demo_estate: Path, tmp_path: Path) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text(f'[scope]\nsubscriptions = ["{PLATFORM}"]\n')
    with open_environment(estate=demo_estate, config_path=config, as_of=None, subscriptions=(PROD,)) as env:
        assert env.config.scope.subscriptions == (PROD,)
    with open_environment(estate=demo_estate, config_path=config, as_of=None) as env:
        assert env.config.scope.subscriptions == (PLATFORM,)


def test_subscription_limits_what_is_collected(demo_estate: Path) -> None:
    proc = run("inventory", "--estate", str(demo_estate), "--subscription", PLATFORM, "-f", "json", "-q")
    assert proc.returncode in (0, 3), proc.stderr
    body = json.loads(proc.stdout)
    assert body["scope"]["subscriptions"] == [PLATFORM]
    assert body["resources"] and all(r["id"].lower().startswith(f"/subscriptions/{PLATFORM}")
                                     for r in body["resources"])


def test_audit_fails_on_info_from_the_command_line(demo_estate: Path, tmp_path: Path) -> None:
    proc = run("audit", "--estate", str(demo_estate), "--fail-on", "info", "--no-history", "-q", "-f", "json",
               cwd=tmp_path)
    assert proc.returncode == FINDINGS, proc.stderr
