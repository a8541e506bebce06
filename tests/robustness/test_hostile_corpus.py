"""The hostile corpus through every command, format, webhook payload and the history store.

One estate plants HTML, Markdown and Mermaid breakers, CSV formulas, ANSI and OSC sequences, CR,
bidi overrides, Slack/Teams mentions, shell metacharacters, NUL and a 10 kB string in setting
names, tags (site, Key Vault, certificate, any resource), resource properties and certificate
names, beside secrets in setting values. Every output must hold no secret, no raw control
character in a terminal format, and every printed command must read back as the intended argv.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hostile_corpus import CALLBACK, HOSTILE, HOSTILE_NAME, MARKERS, RETIRED, RG, SITE, hostile_estate
from notify.receiver import Receiver, receiver

from auditor.cli.app import main
from auditor.core.environment import open_environment
from auditor.core.inventory_export import render_inventory
from auditor.core.pipeline import run_audit, run_decommission
from auditor.estate.builder import build_estate
from auditor.graph.shell_command import printed_command
from auditor.history import SqliteHistoryStore
from auditor.report import render, render_decommission
from auditor.report.history_view import render_diff, render_runs

# Raw characters no terminal format may carry: C0 but tab and line feed, DEL, C1, bidi, separators, BOM.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
HOOKS = {"slack": "AUDIT_SLACK", "teams": "AUDIT_TEAMS", "json": "AUDIT_JSON"}
CONFIG = f"""
[decommission]
retired_domains = ["{RETIRED}"]

[notify]
min_severity = "info"
only_new = false
""" + "".join(f'[[notify.webhooks]]\nkind = "{kind}"\nurl_env = "{env}"\n' for kind, env in HOOKS.items())


@dataclass
class Outputs:
    terminal: dict[str, str] = field(default_factory=dict)    # table, markdown, csv, stderr
    machine: dict[str, str] = field(default_factory=dict)     # json, sarif, junit
    html: dict[str, str] = field(default_factory=dict)
    payloads: dict[str, list[Any]] = field(default_factory=dict)
    history_db: bytes = b""
    decommission: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)

    def everything(self) -> dict[str, str]:
        return {**self.terminal, **self.machine, **self.html, "payloads": json.dumps(list(self.payloads.values())),
                "history": self.history_db.decode("latin-1")}


@contextlib.contextmanager
def _receiver_thread() -> Iterator[Receiver]:
    """The webhook receiver on its own event loop, so the CLI's synchronous send reaches it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    manager = receiver()
    state = asyncio.run_coroutine_threadsafe(manager.__aenter__(), loop).result(10)
    try:
        yield state
    finally:
        asyncio.run_coroutine_threadsafe(manager.__aexit__(None, None, None), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    base = tmp_path_factory.mktemp("hostile")
    estate = str(build_estate(hostile_estate(CONFIG), base / "estate"))
    history = str(base / "history.sqlite")
    found = Outputs()
    with _receiver_thread() as hooks, pytest.MonkeyPatch.context() as env:
        for kind, name in HOOKS.items():
            env.setenv(name, hooks.url(f"{'teams' if kind == 'teams' else kind}secrethook00{kind}"))
        runs = [("audit-table", ("audit", "--estate", estate, "--history", history, "-f", "table")),
                ("audit-markdown", ("audit", "--estate", estate, "--history", history, "-f", "markdown")),
                ("inventory-table", ("inventory", "--estate", estate, "-f", "table")),
                ("decommission-table", ("decommission", "check", RETIRED, "--estate", estate, "-f", "table")),
                ("history-list", ("history", "list", "--history", history)),
                ("history-diff", ("history", "diff", "--history", history))]
        for name, argv in runs:
            code, stdout, stderr = _cli(*argv)
            assert code in (0, 1, 3, 4, 5), (name, code, stderr)
            found.terminal[name] = stdout
            found.terminal[f"{name}-stderr"] = stderr
        found.payloads = dict(hooks.received)
    store = SqliteHistoryStore(Path(history))
    runs_recorded = store.runs()
    diff = store.diff(runs_recorded[-2].run_id, runs_recorded[-1].run_id)
    with open_environment(estate=Path(estate), config_path=None, as_of=None) as audit_env:
        outcome = run_audit(audit_env)
        result = run_decommission(audit_env, RETIRED)
    for fmt in ("table", "markdown", "csv"):
        found.terminal[f"audit-{fmt}-rendered"] = render(outcome.report, fmt, diff=diff)
    for fmt in ("json", "sarif", "junit"):
        found.machine[f"audit-{fmt}"] = render(outcome.report, fmt, diff=diff)
    found.html["audit-html"] = render(outcome.report, "html", diff=diff, certificates=outcome.inventory.certificates)
    found.terminal["inventory-csv"] = render_inventory(outcome.inventory, "csv")
    found.machine["inventory-json"] = render_inventory(outcome.inventory, "json")
    for fmt in ("table", "markdown"):
        found.terminal[f"decommission-{fmt}-rendered"] = render_decommission(result, fmt)
        found.terminal[f"history-diff-{fmt}"] = render_diff(diff, fmt)
    found.machine["decommission-json"] = render_decommission(result, "json")
    found.machine["history-diff-json"] = render_diff(diff, "json")
    found.machine["history-list-json"] = render_runs(runs_recorded, "json")
    found.decommission = json.loads(found.machine["decommission-json"])
    found.report = json.loads(found.machine["audit-json"])
    con = sqlite3.connect(history)
    tables = [row[0] for row in con.execute("select name from sqlite_master where type = 'table'")]
    found.history_db = "\n".join(str(row) for table in tables
                                 for row in con.execute(f'select * from "{table}"')).encode("utf-8", "replace")
    con.close()
    found.history_db += Path(history).read_bytes()
    return found


def test_the_corpus_reached_the_outputs(outputs: Outputs) -> None:
    # Otherwise the assertions below would pass on empty output.
    wheres = {d["where"] for d in outputs.decommission["dependents"]}
    assert {f"appsettings.{h}" for h in HOSTILE} <= wheres
    assert set(outputs.payloads) == {f"{kind}secrethook00{kind}" for kind in HOOKS}
    assert "retired-domain-in-use" in outputs.terminal["audit-table"]
    assert "2J" in outputs.terminal["inventory-table"] and "FORGED" in outputs.terminal["audit-markdown"]


def test_no_secret_value_appears_anywhere(outputs: Outputs) -> None:
    for name, text in outputs.everything().items():
        lowered = text.lower()
        leaked = [m for m in MARKERS if m in lowered]
        assert not leaked, f"{name} leaks {leaked}"
    assert "pg.internal" not in json.dumps(outputs.report)


def test_no_raw_control_character_reaches_a_terminal_format(outputs: Outputs) -> None:
    for name, text in {**outputs.terminal, **outputs.machine}.items():
        if name.endswith("csv"):
            text = text.replace("\r\n", "\n")      # the CSV writer's own record terminator
        raw = sorted({hex(ord(c)) for c in RAW_CONTROL.findall(text)})
        assert not raw, f"{name} carries raw {raw}"


def test_estate_text_forms_no_markup_or_mention(outputs: Outputs) -> None:
    assert "<script>alert(1)" not in outputs.html["audit-html"]
    assert "<script>alert(1)" not in outputs.terminal["audit-markdown"]
    slack = json.dumps(outputs.payloads["slacksecrethook00slack"])
    assert "<!channel>" not in slack and "<@U123ABC>" not in slack and "<!here>" not in slack
    teams = json.dumps(outputs.payloads["teamssecrethook00teams"])
    assert '"entities"' not in teams and '"mention"' not in teams   # a Teams mention needs an entity
    for line in outputs.terminal["audit-csv-rendered"].splitlines():
        for cell in line.split(","):
            assert cell.lstrip('"')[:1] not in ("=", "+", "@") or cell.startswith('"\'') or cell.startswith("'")


def test_every_printed_command_reads_back_as_the_intended_argv(outputs: Outputs) -> None:
    setting_commands = {}
    for dependent in outputs.decommission["dependents"]:
        argv = printed_command(dependent["remove"])
        if dependent["kind"] == "app-setting":
            name = dependent["where"].removeprefix("appsettings.")
            assert argv == ["az", "webapp", "config", "appsettings", "delete", "-g", RG, "-n", SITE,
                            "--setting-names", name], dependent["remove"][:300]
            setting_commands[name] = argv
        elif argv is not None:
            assert argv[0] == "az", argv
    assert set(HOSTILE) <= set(setting_commands)
    removes = [r for f in outputs.report["findings"] for r in [f["remediation"], *f["evidence"].get("remove", [])]]
    for text in removes:
        argv = printed_command(text)
        assert argv is None or argv[0] == "az"
    assert any(printed_command(r) == ["az", "webapp", "cors", "remove", "-g", RG, "-n", SITE, "--allowed-origins",
                                      "https://app.contoso-legacy.net"] for r in removes)
    assert CALLBACK.split("/")[2] in {f["subject"] for f in outputs.report["findings"]}


def test_certificate_names_and_tags_are_in_the_inventory(outputs: Outputs) -> None:
    inventory = json.loads(outputs.machine["inventory-json"])
    assert any(HOSTILE_NAME.lower() in c["names"] for c in inventory["certificates"])
    assert any(set(HOSTILE) <= set(c["tags"].values()) for c in inventory["certificates"])
